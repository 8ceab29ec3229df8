"""Screening instruments defined as data, and the engine that scores them.

Pure Python (no Django): the data files in data/ describe each instrument (items,
scoring, interpretation, source, licence, named test cases); `score` turns
answers into a Result or raises AnswerErrors. See docs/instruments.md.
"""

from .engine import Result, score
from .loader import ALLOWED_LICENCES, DATA_DIR, InstrumentFileError, get, load_directory, load_file, load_text, shipped
from .model import Instrument, Text
from .problems import AnswerErrors, Message

__all__ = [
    "ALLOWED_LICENCES",
    "DATA_DIR",
    "AnswerErrors",
    "Instrument",
    "InstrumentFileError",
    "Message",
    "Result",
    "Text",
    "get",
    "load_directory",
    "load_file",
    "load_text",
    "score",
    "shipped",
]
