"""A progress bar for the terminal, with the same interface as jobs' JobProgress."""

import time
from contextlib import contextmanager

from django.utils.translation import gettext as _


class TerminalProgress:
    """Draws `stage [#####.....] 45%` on one line of `stream`, at most a few times a second."""

    WIDTH = 30

    def __init__(self, stream, interval=0.2):
        self.stream = stream
        self.interval = interval
        self.last_draw = 0.0
        self.stage = None

    def update(self, done, total, stage):
        now = time.monotonic()
        finished = total and done >= total
        if stage == self.stage and not finished and now - self.last_draw < self.interval:
            return
        if self.stage and stage != self.stage:
            self.stream.write("\n")
        self.stage, self.last_draw = stage, now
        fraction = min(done / total, 1.0) if total else 1.0
        filled = int(fraction * self.WIDTH)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        self.stream.write(f"\r{_(stage):<40} [{bar}] {fraction:4.0%}")
        self.stream.flush()

    def close(self):
        if self.stage:
            self.stream.write("\n")
            self.stream.flush()


@contextmanager
def command_progress(command, forced=False):
    """A management command's progress bar on stderr when it is a terminal (or `forced`), else None;
    the bar's line is ended however the command ends."""
    progress = TerminalProgress(command.stderr._out) if forced or command.stderr.isatty() else None
    try:
        yield progress
    finally:
        if progress:
            progress.close()
