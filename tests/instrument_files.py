"""Run a test with a shipped instrument file edited, to prove a rule is read from the file."""

import contextlib
import shutil
import tempfile
from pathlib import Path
from unittest import mock

from trappa.assessments.instruments import loader


@contextlib.contextmanager
def edited_instrument_file(instrument_id, replacements):
    """The shipped instrument files, with each old text replaced by its new one in `<instrument_id>.toml`."""
    with tempfile.TemporaryDirectory() as directory:
        copy = Path(directory) / "data"
        shutil.copytree(loader.DATA_DIR, copy)
        path = copy / f"{instrument_id}.toml"
        text = path.read_text(encoding="utf-8")
        for old, new in replacements.items():
            assert text.count(old) == 1, f"{old!r} is not once in {path.name}"
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
        loader.shipped.cache_clear()
        try:
            with mock.patch.object(loader, "DATA_DIR", copy):
                yield
        finally:
            loader.shipped.cache_clear()
