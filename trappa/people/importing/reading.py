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
UTF16 = gettext_noop(
    "The file is UTF-16 text (what Excel calls Unicode text). Save it as CSV UTF-8 and import it again."
)
MIXED_ENCODINGS = gettext_noop(
    "The file mixes encodings: this line is UTF-8, other lines are Windows-1252. Save the whole file as "
    "UTF-8 and import it again; nothing was read, so no name is garbled."
)
MOJIBAKE = gettext_noop(
    "This line holds letters garbled by a wrong conversion (such as Ã¥ for å or Ã˜ for Ø). Correct the "
    "file where it was made and import it again."
)
FIELD_TOO_LONG = gettext_noop(
    "The field is longer than 10,000 characters, the most one field of a register file may hold."
)
# The longest field a register file may hold; the columns' own limits are far lower (names 200).
MAX_FIELD = 10_000
# UTF-8 for "Ã" and "Â": where text converted twice (UTF-8 read as Windows-1252) shows.
_MOJIBAKE_LEADS = (b"\xc3\x83", b"\xc3\x82")
# Lines named for a mixed or garbled file, at most.
MAX_LINES_NAMED = 100


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
    first_line, size, lines_seen, bad_line, suspect = b"", 0, 0, None, False
    with open(path, "rb") as f:
        while block := f.read(BLOCK):
            digest.update(block)
            if not first_line:
                first_line = block.split(b"\n", 1)[0]
                if block.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in first_line:
                    raise FileRejected([Problem(1, "", UTF16)])
            suspect = suspect or any(lead in block for lead in _MOJIBAKE_LEADS)
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
    if not is_utf8:
        _refuse_mixed_encodings(path)
    elif suspect:
        _refuse_mojibake(path)
    encoding = ("utf-8-sig" if first_line.startswith(UTF8_BOM) else "utf-8") if is_utf8 else "cp1252"
    # Semicolons are what Norwegian spreadsheets write; a header with more of
    # them than commas is semicolon-separated.
    delimiter = ";" if first_line.count(b";") > first_line.count(b",") else ","
    return FileFacts(encoding, delimiter, digest.hexdigest(), size)


def sha256(path):
    """The file's SHA-256, as inspect() finds it (hex)."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(BLOCK):
            digest.update(block)
    return digest.hexdigest()


def _refuse_mixed_encodings(path):
    """A Windows-1252 file must not hold UTF-8 lines: decoded one way, those would be garbled."""
    utf8_lines, cp1252_seen = [], False
    with open(path, "rb") as f:
        for number, line in enumerate(f, start=1):
            if line.isascii():
                continue
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                cp1252_seen = True
                continue
            utf8_lines.append(number)
    if utf8_lines and cp1252_seen:
        raise FileRejected([Problem(n, "", MIXED_ENCODINGS) for n in utf8_lines[:MAX_LINES_NAMED]])


def _refuse_mojibake(path):
    """UTF-8 text that was once read as Windows-1252 and saved again ("Ã…se Ã˜degÃ¥rd"): refused by line."""
    garbled = []
    with open(path, "rb") as f:
        for number, line in enumerate(f, start=1):
            if any(lead in line for lead in _MOJIBAKE_LEADS) and _is_mojibake(line.decode("utf-8", "replace")):
                garbled.append(number)
    if garbled:
        raise FileRejected([Problem(n, "", MOJIBAKE) for n in garbled[:MAX_LINES_NAMED]])


def _is_mojibake(text):
    """True if a run starting with Ã or Â is UTF-8 bytes shown as Windows-1252 letters."""
    for start in (i for i, char in enumerate(text) if char in "ÃÂ"):
        try:
            repaired = text[start : start + 2].encode("cp1252").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if repaired and not repaired.isascii():
            return True
    return False


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
        self.header = self.sha256 = None

    def __iter__(self):
        # The csv module's own field limit (128 KiB) would stop reading at a long field; the file's
        # size bounds a field anyway, and a field over MAX_FIELD is reported below, by line and column.
        csv.field_size_limit(max(csv.field_size_limit(), self.facts.size + 1))
        with open(self.path, "rb") as raw:
            text = io.TextIOWrapper(raw, encoding=self.facts.encoding, newline="")
            # strict: a quote left open is an error, not a field that swallows the rest of the file.
            reader = csv.reader(text, delimiter=self.facts.delimiter, strict=True)
            header = [name.strip().lower() for name in next(reader)]
            problems = check_header(header, self.columns)
            if problems:
                raise FileRejected(problems)
            yield from self._rows(reader, raw, header)

    def chunks(self, size, check_lengths=True):
        """The same rows in chunks of `size`, as RowChunk: the rows' cells as read (not yet trimmed),
        for a reader that checks a column at a time; the file's bytes are hashed as they are read.

        `check_lengths=False`: a field over MAX_FIELD is left to the reader's own checks (the bulk check,
        which refuses every value that long), not made a problem of its row."""
        csv.field_size_limit(max(csv.field_size_limit(), self.facts.size + 1))
        with open(self.path, "rb") as handle:
            raw = _Hashing(handle)
            text = io.TextIOWrapper(io.BufferedReader(raw), encoding=self.facts.encoding, newline="")
            reader = csv.reader(text, delimiter=self.facts.delimiter, strict=True)
            header = [name.strip().lower() for name in next(reader)]
            problems = check_header(header, self.columns)
            if problems:
                raise FileRejected(problems)
            self.header = header
            yield from self._chunks(reader, raw, len(header), size, check_lengths)
            text.read()  # the rest (nothing but blank lines or a closing quote error is possible), for the hash
            self.sha256 = raw.digest.hexdigest()

    def _chunks(self, reader, raw, width, size, check_lengths):
        chunk = RowChunk()
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error:
                chunk.problems.append(Problem(reader.line_num, "", BAD_CSV))
                chunk.count += 1
                break
            if len(cells) != width or width == 1:
                if not cells or (len(cells) == 1 and not cells[0].strip()):
                    continue
                if len(cells) != width:
                    chunk.problems.append(Problem(reader.line_num, "", WRONG_FIELD_COUNT))
                    chunk.count += 1
                    continue
            chunk.lines.append(reader.line_num)
            chunk.cells.append(cells)
            chunk.count += 1
            if chunk.count >= size:
                self.bytes_read = raw.bytes_read
                yield chunk.checked_lengths(self.header) if check_lengths else chunk.transposed(self.header)
                chunk = RowChunk()
        self.bytes_read = raw.bytes_read
        if chunk.count:
            yield chunk.checked_lengths(self.header) if check_lengths else chunk.transposed(self.header)

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
            too_long = [name for name, value in zip(header, cells, strict=True) if len(value) > MAX_FIELD]
            if too_long:
                yield reader.line_num, Problem(reader.line_num, too_long[0], FIELD_TOO_LONG)
                continue
            yield reader.line_num, {name: value.strip() for name, value in zip(header, cells, strict=True)}


class RowChunk:
    """Rows read together: `lines` and `cells` of the readable rows, `problems` of the others (by line),
    `count` of all (the readable and the unreadable)."""

    def __init__(self):
        self.lines, self.cells, self.problems, self.count = [], [], [], 0

    def transposed(self, header):
        """The cells a column at a time (every row has the header's width, checked while reading)."""
        self.raw_columns = list(zip(*self.cells, strict=False)) if self.cells else [() for _name in header]
        return self

    def checked_lengths(self, header):
        """A row with a field over MAX_FIELD is unreadable, as CsvRows reads it (its first such field)."""
        self.transposed(header)
        if all(max(map(len, values), default=0) <= MAX_FIELD for values in self.raw_columns):
            return self
        lines, cells_kept = [], []
        for line, cells in zip(self.lines, self.cells, strict=True):
            too_long = [name for name, value in zip(header, cells, strict=True) if len(value) > MAX_FIELD]
            if too_long:
                self.problems.append(Problem(line, too_long[0], FIELD_TOO_LONG))
            else:
                lines.append(line)
                cells_kept.append(cells)
        self.lines, self.cells = lines, cells_kept
        self.problems.sort(key=lambda problem: problem.line)
        return self.checked_lengths(header)

    def columns(self, header):
        """{column: its trimmed values}, in the header's order."""
        return {name: list(map(str.strip, values)) for name, values in zip(header, self.raw_columns, strict=True)}


class _Hashing(io.RawIOBase):
    """A file read through this is hashed (SHA-256) and counted as it is read."""

    def __init__(self, handle):
        self.handle, self.digest, self.bytes_read = handle, hashlib.sha256(), 0

    def readable(self):
        return True

    def readinto(self, buffer):
        n = self.handle.readinto(buffer)
        if n:
            self.digest.update(memoryview(buffer)[:n])
            self.bytes_read += n
        return n
