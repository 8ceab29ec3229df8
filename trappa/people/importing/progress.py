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

    def update(self, done, total, stage, params=None):
        now = time.monotonic()
        finished = total and done >= total
        if stage == self.stage and not finished and now - self.last_draw < self.interval:
            return
        if self.stage and stage != self.stage:
            self.stream.write("\n")
        self.stage, self.last_draw = stage, now
        if params:  # a wait for another import: said in full on its own line
            self.stream.write(_(stage) % params)
            self.stream.flush()
            return
        fraction = min(done / total, 1.0) if total else 1.0
        filled = int(fraction * self.WIDTH)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        self.stream.write(f"\r{_(stage):<40} [{bar}] {fraction:4.0%}")
        self.stream.flush()

    def close(self):
        if self.stage:
            self.stream.write("\n")
            self.stream.flush()


class WaitNotice:
    """Without a progress bar: no progress is drawn, but a wait for another import is said on
    stderr (which import, who started it, when), so a nightly job never waits silently."""

    def __init__(self, stream):
        self.stream = stream
        self.said = None

    def update(self, done, total, stage, params=None):
        if params and (stage, params) != self.said:
            self.said = (stage, params)
            self.stream.write(_(stage) % params + "\n")
            self.stream.flush()

    def close(self):
        pass


@contextmanager
def command_progress(command, forced=False):
    """A management command's progress bar on stderr when it is a terminal (or `forced`), else a
    WaitNotice; the bar's line is ended however the command ends."""
    stream = command.stderr._out
    progress = TerminalProgress(stream) if forced or command.stderr.isatty() else WaitNotice(stream)
    try:
        yield progress
    finally:
        if progress:
            progress.close()
