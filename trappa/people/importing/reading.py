"""Reading the register's CSV files: encoding, delimiter, header, rows.

Files are read as a stream, never whole into memory, because a register extract
for a large municipality has hundreds of thousands of rows.
"""

import codecs
import csv
import hashlib
import io
from dataclasses import dataclass

from django.utils.translation import gettext_noop

from .report import Problem

BLOCK = 1024 * 1024
UTF8_BOM = codecs.BOM_UTF8

NOT_TEXT = gettext_noop("The file is neither UTF-8 nor Windows-1252 text.")
EMPTY_FILE = gettext_noop("The file is empty: the first line must name the columns.")
UNKNOWN_COLUMN = gettext_noop("Unknown column.")
MISSING_COLUMN = gettext_noop("A required column is missing.")
REPEATED_COLUMN = gettext_noop("The column is named more than once.")
BAD_CSV = gettext_noop("The line cannot be read as CSV (a quote not closed?).")
WRONG_FIELD_COUNT = gettext_noop("The row does not have as many fields as the header.")


@dataclass(frozen=True)
class FileFacts:
    encoding: str
    delimiter: str
    sha256: str
    size: int


class FileRejected(Exception):
    """The file cannot be read at all; `problems` says why."""

    def __init__(self, problems):
        super().__init__(problems)
        self.problems = problems


def inspect(path):
    """Hash the file and find its encoding and delimiter, reading it once in blocks."""
    digest = hashlib.sha256()
    utf8 = codecs.getincrementaldecoder("utf-8")()
    cp1252 = codecs.getincrementaldecoder("cp1252")()
    is_utf8 = is_cp1252 = True
    first_line, size, lines_seen, bad_line = b"", 0, 0, None
    with open(path, "rb") as f:
        while block := f.read(BLOCK):
            digest.update(block)
            if not first_line:
                first_line = block.split(b"\n", 1)[0]
            is_utf8 = is_utf8 and _decodes(utf8, block)
            if not is_utf8 and is_cp1252 and not _decodes(cp1252, block):
                is_cp1252 = False
                bad_line = lines_seen + _first_bad_cp1252_line(block)
            lines_seen += block.count(b"\n")
            size += len(block)
    is_utf8 = is_utf8 and _decodes(utf8, b"", final=True)
    if size == 0 or not first_line.strip(b"\r\n" + UTF8_BOM + b" "):
        raise FileRejected([Problem(1, "", EMPTY_FILE)])
    if not is_utf8 and not is_cp1252:
        raise FileRejected([Problem(bad_line, "", NOT_TEXT)])
    encoding = ("utf-8-sig" if first_line.startswith(UTF8_BOM) else "utf-8") if is_utf8 else "cp1252"
    # Semicolons are what Norwegian spreadsheets write; a header with more of
    # them than commas is semicolon-separated.
    delimiter = ";" if first_line.count(b";") > first_line.count(b",") else ","
    return FileFacts(encoding, delimiter, digest.hexdigest(), size)


def _decodes(decoder, block, final=False):
    try:
        decoder.decode(block, final)
    except UnicodeDecodeError:
        return False
    return True


def _first_bad_cp1252_line(block):
    try:
        block.decode("cp1252")
    except UnicodeDecodeError as exc:
        return block[: exc.start].count(b"\n") + 1
    return 1


def check_header(names, columns):
    """Problems with the header line: unknown, repeated and missing columns."""
    problems = []
    seen = set()
    for name in names:
        if name not in columns:
            problems.append(Problem(1, name, UNKNOWN_COLUMN))
        elif name in seen:
            problems.append(Problem(1, name, REPEATED_COLUMN))
        seen.add(name)
    for name, required in columns.items():
        if required and name not in seen:
            problems.append(Problem(1, name, MISSING_COLUMN))
    return problems


class CsvRows:
    """The rows of a checked file as (line, {column: value}), with the bytes read so far.

    `line` is the physical line the row ends on; the header is line 1. Blank
    lines are skipped. Problems that make a row unreadable are yielded as
    (line, Problem) instead of a row dictionary.
    """

    def __init__(self, path, facts, columns):
        self.path, self.facts, self.columns = path, facts, columns
        self.bytes_read = 0

    def __iter__(self):
        with open(self.path, "rb") as raw:
            text = io.TextIOWrapper(raw, encoding=self.facts.encoding, newline="")
            # strict: a quote left open is an error, not a field that swallows the rest of the file.
            reader = csv.reader(text, delimiter=self.facts.delimiter, strict=True)
            header = [name.strip().lower() for name in next(reader)]
            problems = check_header(header, self.columns)
            if problems:
                raise FileRejected(problems)
            yield from self._rows(reader, raw, header)

    def _rows(self, reader, raw, header):
        width = len(header)
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error:
                yield reader.line_num, Problem(reader.line_num, "", BAD_CSV)
                return
            self.bytes_read = raw.tell()
            if not cells or (len(cells) == 1 and not cells[0].strip()):
                continue
            if len(cells) != width:
                yield reader.line_num, Problem(reader.line_num, "", WRONG_FIELD_COUNT)
                continue
            yield reader.line_num, {name: value.strip() for name, value in zip(header, cells, strict=True)}
