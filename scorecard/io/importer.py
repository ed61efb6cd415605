"""Parsing and validation of the two import files of the public contract (KPIS and MEASUREMENTS).

Pure: nothing here touches the database. Files are CSV (comma, semicolon or tab separated,
UTF-8 with or without BOM, or UTF-16) or Excel .xlsx (first sheet). Headers are matched after
trimming and lower-casing; unknown columns are ignored. Persian/Arabic-Indic digits (۱۲۳, ١٢٣,
the decimal ٫ and thousands ٬ separators) are accepted in numbers and periods. Every problem is
collected before anything is rejected, each naming the file, the row as a spreadsheet shows it
(the header is row 1, so the first data row is row 2) and the column. Rows that are entirely
blank are skipped but keep their row numbers.

Refused with a message naming the file (and row and column where there is one): a file above
the size limit (``IMPORT_MAX_MB``, default 20, checked before reading), an empty file, bytes that
are no spreadsheet (an image, a zip that is not .xlsx, an old .xls), text that is not UTF-8 (a
Windows-1256 or Latin-1 CSV), a row wider than the header, a cell holding a spreadsheet formula
(``=…``, also an Excel formula cell: values only), and text longer than its database column.

KPIS columns: perspective, objective, kpi, unit, direction (higher|lower), target, weight (≥ 0);
optional amber (fraction of |target| in [0, 1]; blank = the configured default, 0.10 unless
changed), baseline, objective_weight, perspective_weight (≥ 0), segment (blank = All),
aggregation (sum|mean|last|ratio). A KPI listed for several segments must agree on its
perspective, objective, unit, direction and weight, and an objective belongs to one perspective.

MEASUREMENTS columns: kpi, period (YYYY-MM, or a Jalali YYYY/MM or YYYY/MM/DD with a year
1300–1499, stored as the Gregorian month the app counts in that Jalali month), actual; optional
target (overrides the KPI's target for that month) and segment (blank = All). A row may leave
``actual`` blank when it gives a target (a target for a future month), but not both.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import math
import os
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import jdatetime
import numpy as np
import pandas as pd
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from errors import DomainError, Message
from scorecard.io.cells import is_formula
from scorecard.periods import AGGREGATIONS, months_in
from scorecard.validation import FIRST_PERIOD, LAST_PERIOD, MAX_ABS_VALUE, hidden_characters

DIRECTIONS = ("higher", "lower")
DEFAULT_SEGMENT = "All"
KPI_REQUIRED = ("perspective", "objective", "kpi", "unit", "direction", "target", "weight")
KPI_OPTIONAL = ("amber", "baseline", "objective_weight", "perspective_weight", "segment", "aggregation")
MEASUREMENT_REQUIRED = ("kpi", "period", "actual")
MEASUREMENT_OPTIONAL = ("target", "segment", "numerator", "denominator")
MAX_LISTED = 25
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_JALALI = re.compile(r"^(1[34]\d\d)[/-](\d{1,2})(?:[/-](\d{1,2}))?$")
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩٫\u2212", "01234567890123456789.-", "٬")
_ZIP_MAGIC = b"PK\x03\x04"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_BINARY_MAGIC = {b"\x89PNG": Message("a PNG image"), b"\xff\xd8\xff": Message("a JPEG image"),
                 b"GIF8": Message("a GIF image"), b"%PDF": Message("a PDF document"),
                 b"\xd0\xcf\x11\xe0": Message("an old Excel .xls (or other Office 97) file; "
                                              "save it as .xlsx or as 'CSV UTF-8'"),
                 b"\x1f\x8b": Message("a gzip archive")}
MB = 1024 * 1024
DEFAULT_MAX_MB = 20.0
MAX_MB_VARIABLE = "IMPORT_MAX_MB"
DEFAULT_MAX_UNCOMPRESSED_MB = 100.0
MAX_UNCOMPRESSED_VARIABLE = "IMPORT_MAX_UNCOMPRESSED_MB"
DEFAULT_MAX_ROWS = 500_000
MAX_ROWS_VARIABLE = "IMPORT_MAX_ROWS"
# Longest text each column may hold: the widths of the database columns (data/models.py).
TEXT_LIMITS = {"perspective": 120, "objective": 200, "kpi": 200, "unit": 40, "segment": 80}


@dataclass(frozen=True)
class ImportProblem:
    """One problem in an import file; ``row`` as a spreadsheet shows it (header = row 1; 0 = the whole file).

    ``message`` is the reason; :attr:`sentence` the whole problem, naming the file, row and column.
    """

    file: str
    row: int
    column: str
    message: Message | str

    @property
    def sentence(self) -> Message:
        file, row, column, reason = self.file, self.row, self.column, self.message
        if row and column:
            return Message("{file}, row {row}, column '{column}': {reason}", file=file, row=row, column=column,
                           reason=reason)
        if row:
            return Message("{file}, row {row}: {reason}", file=file, row=row, reason=reason)
        if column:
            return Message("{file}, column '{column}': {reason}", file=file, column=column, reason=reason)
        return Message("{file}: {reason}", file=file, reason=reason)


    def __str__(self) -> str:
        return str(self.sentence)


class ImportValidationError(DomainError):
    """The import file(s) are invalid; ``problems`` lists every problem found."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        self.problems = list(problems)
        lines = [p.sentence for p in self.problems[:MAX_LISTED]]
        if len(self.problems) > MAX_LISTED:
            lines.append(Message("… and {count} more", count=len(self.problems) - MAX_LISTED))
        files = list(dict.fromkeys(p.file for p in self.problems))
        super().__init__("{count} problem(s) in {files}:\n{problems:\n}", count=len(self.problems), files=files,
                         problems=lines)


def _megabytes(variable: str, default: float) -> int:
    """A size limit in bytes from an environment variable holding megabytes."""
    raw = os.environ.get(variable, "").strip()
    try:
        megabytes = float(raw) if raw else default
    except ValueError:
        raise DomainError("{variable} must be a number of megabytes, not {raw!r}", variable=variable,
                          raw=raw) from None
    return int(megabytes * MB)


def max_import_bytes() -> int:
    """The largest file an import reads: ``IMPORT_MAX_MB`` megabytes (default 20)."""
    return _megabytes(MAX_MB_VARIABLE, DEFAULT_MAX_MB)


def max_uncompressed_bytes() -> int:
    """The most an .xlsx workbook may unpack to: ``IMPORT_MAX_UNCOMPRESSED_MB`` megabytes (default 100)."""
    return _megabytes(MAX_UNCOMPRESSED_VARIABLE, DEFAULT_MAX_UNCOMPRESSED_MB)


def max_import_rows() -> int:
    """The most data rows an import reads: ``IMPORT_MAX_ROWS`` (default 500,000)."""
    raw = os.environ.get(MAX_ROWS_VARIABLE, "").strip()
    try:
        rows = int(raw) if raw else DEFAULT_MAX_ROWS
    except ValueError:
        raise DomainError("{variable} must be a whole number of rows, not {raw!r}", variable=MAX_ROWS_VARIABLE,
                          raw=raw) from None
    return max(1, rows)


def _too_many_rows(name: str, limit: int) -> ImportValidationError:
    return _file_error(name, Message("has more than {limit:,} data rows, above the import limit (set {variable} to "
                                     "change it); split it into smaller files", limit=limit,
                                     variable=MAX_ROWS_VARIABLE))


def max_import_megabytes() -> int:
    """The limit in whole megabytes (at least 1), for an upload widget's own check."""
    return max(1, math.ceil(max_import_bytes() / MB))


def _file_error(name: str, message: Message) -> ImportValidationError:
    """A problem with the whole file (row 0: no row in particular)."""
    return ImportValidationError([ImportProblem(name, 0, "", message)])


def _size(source: Any) -> int | None:
    """The file's size in bytes without reading it, when the source can tell."""
    if isinstance(source, (str, os.PathLike)):
        return os.path.getsize(source)
    if isinstance(getattr(source, "size", None), int):      # a Streamlit upload
        return source.size
    if hasattr(source, "getbuffer"):
        return source.getbuffer().nbytes
    return None


def _read_bytes(source: Any, name: str, max_bytes: int) -> bytes:
    """The file's bytes; a file above ``max_bytes`` is refused before it is read."""
    size = _size(source)
    if size is None or size <= max_bytes:
        data = _bytes(source)
        size = len(data)
    if size > max_bytes:
        raise _file_error(name, Message("is {size}, above the import limit of {limit} (set {variable} to change it); "
                                        "split it into smaller files", size=_size_text(size),
                                        limit=_size_text(max_bytes), variable=MAX_MB_VARIABLE))
    return data


def _size_text(size: int) -> Message:
    return Message("{megabytes:.3g} MB", megabytes=size / MB) if size >= MB else Message("{bytes:,} bytes", bytes=size)


def _bytes(source: Any) -> bytes:
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as handle:
            return handle.read()
    if hasattr(source, "getvalue"):
        return bytes(source.getvalue())
    if hasattr(source, "seek"):
        source.seek(0)
    data = source.read()
    return data.encode("utf-8") if isinstance(data, str) else bytes(data)


def _not_a_table(data: bytes, name: str) -> Message | None:
    """Why the bytes are neither CSV text nor an .xlsx workbook, or None when they may be."""
    for magic, what in _BINARY_MAGIC.items():
        if data.startswith(magic):
            return what
    if data.startswith(_ZIP_MAGIC):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                is_workbook = "xl/workbook.xml" in archive.namelist()
        except zipfile.BadZipFile:
            return Message("a damaged zip archive (an .xlsx workbook is a zip archive)")
        return None if is_workbook else Message("a zip archive but not an Excel .xlsx workbook")
    if name.lower().endswith((".xlsx", ".xlsm")):
        return Message("named like an Excel workbook but is not one")
    if b"\x00" in data[:4096] and not data.startswith(_UTF16_BOMS):
        return Message("binary data, not a CSV text file")
    return None


def _decode(data: bytes, name: str) -> str:
    if data.startswith(_UTF16_BOMS):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportValidationError([_encoding_problem(data, exc.start, name)]) from exc


def _encoding_problem(data: bytes, start: int, name: str) -> ImportProblem:
    """The row and column of the first byte that is not UTF-8 (rows counted as lines)."""
    lines = data[:start].split(b"\n")
    header = data.split(b"\n", 1)[0].decode("utf-8", errors="replace")
    delimiter = _delimiter(header)
    position = lines[-1].decode("utf-8", errors="replace").count(delimiter)
    columns = [c.strip().lower() for c in header.split(delimiter)]
    column = columns[position] if position < len(columns) else get_column_letter(position + 1)
    return ImportProblem(name, len(lines), column, Message("byte 0x{byte:02X} is not UTF-8 text (the file looks "
                                                           "saved as Windows-1256 or Latin-1); save it as 'CSV UTF-8' "
                                                           "or as Excel .xlsx", byte=data[start]))


def _delimiter(first_line: str) -> str:
    try:
        return csv.Sniffer().sniff(first_line, delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def _csv_cells(text: str, name: str) -> pd.DataFrame:
    """The CSV's records as strings, padded to the header's width; a row wider than it is a problem.

    Reading stops as soon as the rows exceed :func:`max_import_rows` (the header not counted).
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text[:65536].splitlines()[0]))
    limit = max_import_rows()
    rows = []
    try:
        for row in reader:
            rows.append(row)
            if len(rows) > limit + 1:
                raise _too_many_rows(name, limit)
    except csv.Error as exc:
        raise ImportValidationError([ImportProblem(name, reader.line_num, "",
                                                   Message("is not valid CSV ({detail})", detail=str(exc)))]) from exc
    width = len(rows[0]) or max(map(len, rows))      # a blank first row is reported by read_table
    problems = [ImportProblem(name, number, get_column_letter(width + 1),
                              Message("the row has {cells} cells but the header only {width} columns", cells=len(row),
                                      width=width))
                for number, row in enumerate(rows, start=1) if any(c.strip() for c in row[width:])]
    if problems:
        raise ImportValidationError(problems)
    return pd.DataFrame([row[:width] + [""] * (width - len(row)) for row in rows], dtype=object)


def _excel_value(value: Any) -> Any:
    """A cell's value; a formula (array formulas included) as its text, "=…"."""
    return getattr(value, "text", value)


def _check_unpacked_size(data: bytes, name: str) -> None:
    """Refuse a workbook whose parts unpack to more than :func:`max_uncompressed_bytes` (a zip bomb),
    from the sizes the archive declares, before anything is decompressed (zipfile never inflates a
    member beyond its declared size)."""
    limit = max_uncompressed_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > limit:
        raise _file_error(name, Message("unpacks to {size}, above the import limit of {limit} for an unpacked workbook "
                                        "(set {variable} to change it); split it into smaller files",
                                        size=_size_text(unpacked), limit=_size_text(limit),
                                        variable=MAX_UNCOMPRESSED_VARIABLE))


_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s>/]")
_CHUNK = 1024 * 1024


def _check_sheet_rows(data: bytes, name: str) -> None:
    """Refuse a workbook with a sheet of more rows than :func:`max_import_rows` before openpyxl parses it.

    openpyxl reads a whole sheet once just to size it when the sheet does not state its dimension,
    so the rows are counted first by scanning each sheet's XML in chunks (memory stays bounded).
    """
    limit = max_import_rows()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                continue
            rows, tail = 0, b""
            with archive.open(info) as part:
                while chunk := part.read(_CHUNK):
                    block = tail + chunk
                    rows += len(_ROW_TAG.findall(block))
                    cut = max(len(block) - 64, 0)      # a tag split between chunks is counted with the next one
                    rows -= len(_ROW_TAG.findall(block[cut:]))
                    tail = block[cut:]
                    if rows > limit + 1:
                        raise _too_many_rows(name, limit)
                rows += len(_ROW_TAG.findall(tail))
            if rows > limit + 1:
                raise _too_many_rows(name, limit)


def _excel_cells(data: bytes, name: str) -> pd.DataFrame:
    """The first sheet's cells as Python values; formula cells as their formula text.

    A workbook unpacking beyond :func:`max_uncompressed_bytes` is refused before it is parsed, and
    reading stops as soon as the rows exceed :func:`max_import_rows`.
    """
    _check_unpacked_size(data, name)
    _check_sheet_rows(data, name)
    limit = max_import_rows()
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        try:
            rows = []
            for row in book.worksheets[0].iter_rows(values_only=True):
                rows.append([_excel_value(v) for v in row])
                if len(rows) > limit + 1:
                    raise _too_many_rows(name, limit)
        finally:
            book.close()
    except ImportValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a damaged workbook
        raise _file_error(name, Message("cannot be read as an Excel workbook ({detail})", detail=str(exc))) from exc
    width = max((len(row) for row in rows), default=0)
    return pd.DataFrame([row + [None] * (width - len(row)) for row in rows], dtype=object)


def _raw_table(data: bytes, name: str) -> pd.DataFrame:
    """All cells, no header interpretation: strings from CSV, Python values from Excel."""
    if not data.strip():
        return pd.DataFrame()
    reason = _not_a_table(data, name)
    if reason:
        raise _file_error(name, Message("is not a spreadsheet (CSV or Excel .xlsx): it is {kind}", kind=reason))
    if data.startswith(_ZIP_MAGIC):
        return _excel_cells(data, name)
    text = _decode(data, name)
    return _csv_cells(text, name) if text.strip() else pd.DataFrame()


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or (isinstance(value, str) and not value.strip())


def read_table(source: Any, name: str | None = None, max_bytes: int | None = None) -> pd.DataFrame:
    """Read a CSV or .xlsx file (path, bytes buffer or upload) into a frame of raw cells.

    Headers are trimmed and lower-cased; text cells are trimmed. The index holds each row's
    spreadsheet row number (header = 1). A file above ``max_bytes`` (default
    :func:`max_import_bytes`) is refused unread. Raises ImportValidationError for an unreadable file.
    """
    name = str(name if name is not None else getattr(source, "name", source))
    limit = max_import_bytes() if max_bytes is None else max_bytes
    data = _read_bytes(source, name, limit)
    raw = _raw_table(data, name)
    if raw.empty:
        return pd.DataFrame()
    header = ["" if _blank(h) else str(h).strip().lower() for h in raw.iloc[0]]
    if not any(header):
        raise ImportValidationError([ImportProblem(name, 1, "", Message("the first row is empty: it must hold the "
                                                                        "column names"))])
    body = raw.iloc[1:].map(lambda v: v.strip() if isinstance(v, str) else v)
    body.columns = header
    body.index = pd.RangeIndex(2, len(body) + 2)
    filled = ~body.map(_blank).all(axis=1)
    table = body[filled]
    table.attrs.update(spreadsheet_rows=True, file=name, sha256=hashlib.sha256(data).hexdigest())
    return table


def _numbered(frame: pd.DataFrame) -> pd.DataFrame:
    """Headers trimmed and lower-cased; a frame not from :func:`read_table` gets rows 2, 3, …"""
    frame = frame.rename(columns=lambda c: str(c).strip().lower())
    if not frame.attrs.get("spreadsheet_rows"):
        frame = frame.set_axis(pd.RangeIndex(2, len(frame) + 2), axis=0)
    return frame


class _Checker:
    """Collects problems while turning raw cells into clean typed columns."""

    def __init__(self, frame: pd.DataFrame, name: str) -> None:
        self.frame, self.name = frame, name
        self.problems: list[ImportProblem] = []

    def add(self, row: int, column: str, message: Message) -> None:
        self.problems.append(ImportProblem(self.name, int(row), column, message))

    def structure(self, required: Iterable[str]) -> bool:
        """Required columns present, no column named twice, at least one data row."""
        columns = list(self.frame.columns)
        if not columns:
            self.add(1, "", Message("the file is empty (expected a header row and data rows)"))
            return False
        for column in sorted({c for c in columns if c and columns.count(c) > 1}):
            self.add(1, column, Message("the column appears more than once in the header"))
        for column in required:
            if column not in columns:
                self.add(1, column, Message("required column is missing"))
        if not self.problems and self.frame.empty:
            self.add(2, "", Message("the file has a header but no data rows"))
        return not self.problems

    def cells(self, column: str, convert: Callable[[Any], Any], required: bool, default: Any = np.nan) -> pd.Series:
        """Convert each cell; ``convert`` returns the value or raises DomainError with the message."""
        if column not in self.frame:
            return pd.Series(default, index=self.frame.index, dtype=object)
        values = {}
        for row, value in self.frame[column].items():
            if _blank(value) or (is_formula(value) and not _non_finite_text(value)):
                if is_formula(value):
                    self.add(row, column, Message("'{formula}' is a spreadsheet formula; import values only "
                                                  "(in Excel: copy, then paste as values)", formula=_clipped(value)))
                elif required:
                    self.add(row, column, Message("is required but empty"))
                values[row] = default
                continue
            try:
                values[row] = convert(value)
            except DomainError as exc:
                self.add(row, column, exc.message)
                values[row] = default
        return pd.Series(values, index=self.frame.index, dtype=object)

    def text(self, column: str, required: bool = True, default: Any = np.nan) -> pd.Series:
        return self.cells(column, lambda v: _text(v, TEXT_LIMITS.get(column), column in TEXT_LIMITS), required, default)

    def number(self, column: str, required: bool = True, low: float | None = None,
               high: float | None = None) -> pd.Series:
        return self.cells(column, lambda v: _number(v, low, high), required).astype(float)

    def choice(self, column: str, choices: tuple[str, ...], required: bool = True) -> pd.Series:
        def convert(value: Any) -> str:
            text = str(value).strip().lower()
            if text not in choices:
                raise DomainError("'{value}' must be one of {choices}", value=value, choices=list(choices))
            return text
        return self.cells(column, convert, required)

    def duplicates(self, clean: pd.DataFrame, keys: list[str], what: str) -> None:
        """Flag every row repeating the ``keys`` of an earlier row."""
        first: dict[tuple, int] = {}
        for row, key in zip(clean.index, clean[keys].itertuples(index=False, name=None)):
            if any(_blank(k) for k in key):
                continue
            if key in first:
                shown = [Message("{column} '{value}'", column=k, value=v) for k, v in zip(keys, key)]
                self.add(row, keys[0], Message("duplicate {what} ({keys}) already in row {row}", what=what, keys=shown,
                                               row=first[key]))
            else:
                first[key] = row

    def consistent(self, clean: pd.DataFrame, key: str, columns: list[str]) -> None:
        """Rows sharing ``key`` must agree on ``columns`` (a KPI listed per segment, say)."""
        seen: dict[Any, tuple[int, pd.Series]] = {}
        for row, record in clean.iterrows():
            if _blank(record[key]):
                continue
            if record[key] not in seen:
                seen[record[key]] = (row, record)
                continue
            first_row, first = seen[record[key]]
            for column in columns:
                a, b = first[column], record[column]
                if _missing(a) or _missing(b) or a == b:
                    continue
                self.add(row, column, Message("{key} '{name}' has {column} '{first}' in row {row} but '{value}' here",
                                              key=key, name=record[key], column=column, first=_shown(a), row=first_row,
                                              value=_shown(b)))

    def finish(self, clean: pd.DataFrame) -> pd.DataFrame:
        """The clean frame (keeping the file's name and SHA-256 that :func:`read_table` noted), or every problem."""
        if self.problems:
            raise ImportValidationError(sorted(self.problems, key=lambda p: (p.row, p.column)))
        result = clean.reset_index(drop=True)
        result.attrs.update({key: self.frame.attrs[key] for key in ("file", "sha256") if key in self.frame.attrs})
        return result


def _missing(value: Any) -> bool:
    """A cell left blank or already reported as invalid (converted to NaN)."""
    return isinstance(value, float) and np.isnan(value)


def _clipped(value: Any, length: int = 40) -> str:
    text = str(value)
    return text if len(text) <= length else text[:length] + "…"


def _non_finite_text(value: Any) -> bool:
    """Text reading as an infinite or not-a-number value ("-inf"): reported as such, not as a formula."""
    try:
        return isinstance(value, str) and not math.isfinite(float(value.strip().translate(_DIGITS)))
    except ValueError:
        return False


def _text(value: Any, limit: int | None, name: bool = False) -> str:
    text = str(value).strip()
    hidden = hidden_characters(text) if name else []
    if hidden:
        raise DomainError("holds invisible control or formatting characters ({characters}); type the name again "
                          "without them", characters=hidden)
    if limit is not None and len(text) > limit:
        raise DomainError("'{text}' is {length} characters long; at most {limit} fit", text=_clipped(text),
                          length=len(text), limit=limit)
    return text


def _shown(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _number(value: Any, low: float | None, high: float | None) -> float:
    if isinstance(value, bool):
        raise DomainError("'{value}' is not a number", value=value)
    try:
        number = float(str(value).strip().translate(_DIGITS)) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        raise DomainError("'{value}' is not a number", value=value) from None
    if not np.isfinite(number):
        raise DomainError("'{value}' is not a finite number", value=value)
    if abs(number) > MAX_ABS_VALUE:
        raise DomainError("{value:g} is beyond the accepted range of ±{limit:g}", value=number, limit=MAX_ABS_VALUE)
    if low is not None and number < low:
        raise DomainError("{number:g} must not be below {low:g}", number=number, low=low)
    if high is not None and number > high:
        raise DomainError("{number:g} must not be above {high:g}", number=number, high=high)
    return number


def _month(value: Any) -> str:
    """The month "YYYY-MM" a cell names, within the accepted range (scorecard.validation.FIRST_PERIOD … LAST_PERIOD)."""
    month = _any_month(value)
    if not FIRST_PERIOD <= month <= LAST_PERIOD:
        raise DomainError("'{value}' is outside the accepted months {first} to {last}", value=value, first=FIRST_PERIOD,
                          last=LAST_PERIOD)
    return month


def _any_month(value: Any) -> str:
    if isinstance(value, (dt.date, pd.Timestamp)):      # Excel turns 2025-01 into a date
        return f"{value.year:04d}-{value.month:02d}"
    text = str(value).strip().translate(_DIGITS)
    jalali = _JALALI.match(text)
    if jalali:
        return _jalali_month(value, *jalali.groups())
    match = _MONTH.match(text)
    if not match:
        raise DomainError("'{value}' is not a month in the form YYYY-MM (like 2025-01) or a Jalali "
                          "YYYY/MM[/DD] (like 1403/04 or 1403/04/15)", value=value)
    if not 1 <= int(match.group(2)) <= 12:
        raise DomainError("'{value}': month {month} does not exist (01 to 12)", value=value, month=match.group(2))
    return text


def _jalali_month(value: Any, year: str, month: str, day: str | None) -> str:
    """The Gregorian month the app counts in this Jalali month (see :func:`scorecard.periods.months_in`).

    A day, when given, must exist but does not move the month: 1403/04/01 and 1403/04/31 are both Tir.
    """
    try:
        jdatetime.date(int(year), int(month), int(day or 1))
    except ValueError:
        raise DomainError("'{value}' is not a date in the Jalali calendar", value=value) from None
    return months_in(f"J{int(year):04d}-{int(month):02d}")[0]


def _known_segments(check: _Checker, clean: pd.DataFrame, known_segments: set[str] | None) -> None:
    """Flag every row naming a segment the scorecard does not have (the default segment always exists)."""
    if known_segments is None:
        return
    known = set(known_segments) | {DEFAULT_SEGMENT}
    for row, segment in clean["segment"].items():
        if not _blank(segment) and segment not in known:
            check.add(row, "segment", Message("unknown segment '{segment}': an administrator adds segments on purpose "
                                              "(known: {known})", segment=segment, known=sorted(known)))


def validate_kpis(frame: pd.DataFrame, file_name: str, known_segments: set[str] | None = None) -> pd.DataFrame:
    """Check a KPIS table (as :func:`read_table` returns it) and return it clean and typed.

    ``known_segments``: the scorecard's segments (rows naming another are refused); None skips that check.

    Columns of the result: perspective, objective, kpi, unit, direction, target, weight, amber,
    baseline, objective_weight, perspective_weight (NaN where blank), segment, and aggregation
    when the file has it. Raises ImportValidationError listing every problem.
    """
    frame = _numbered(frame)
    check = _Checker(frame, file_name)
    if not check.structure(KPI_REQUIRED):
        return check.finish(frame)
    clean = pd.DataFrame({
        "perspective": check.text("perspective"), "objective": check.text("objective"), "kpi": check.text("kpi"),
        "unit": check.text("unit", required=False, default=""),
        "direction": check.choice("direction", DIRECTIONS),
        "target": check.number("target"), "weight": check.number("weight", low=0.0),
        "amber": check.number("amber", required=False, low=0.0, high=1.0),
        "baseline": check.number("baseline", required=False),
        "objective_weight": check.number("objective_weight", required=False, low=0.0),
        "perspective_weight": check.number("perspective_weight", required=False, low=0.0),
        "segment": check.text("segment", required=False, default=DEFAULT_SEGMENT),
    })
    if "aggregation" in frame:
        clean["aggregation"] = check.choice("aggregation", AGGREGATIONS, required=False).fillna("mean")
    _known_segments(check, clean, known_segments)
    check.duplicates(clean, ["kpi", "segment"], "KPI for this segment")
    check.consistent(clean, "kpi", ["perspective", "objective", "unit", "direction", "weight"])
    check.consistent(clean.drop_duplicates(["objective", "perspective"]), "objective", ["perspective"])
    return check.finish(clean)


def validate_measurements(frame: pd.DataFrame, file_name: str, known_kpis: set[str] | None = None,
                          known_segments: set[str] | None = None) -> pd.DataFrame:
    """Check a MEASUREMENTS table and return it clean: kpi, segment, period, actual, target, and the
    counts behind a ratio (numerator, denominator: both or neither, the denominator above 0).

    ``known_kpis``: names a measurement may refer to (KPIs already defined plus those being
    imported); ``known_segments``: the scorecard's segments; None skips either check. Periods
    must lie in FIRST_PERIOD … LAST_PERIOD, numbers within ±MAX_ABS_VALUE (scorecard.validation).
    Raises ImportValidationError listing every problem.
    """
    frame = _numbered(frame)
    check = _Checker(frame, file_name)
    if not check.structure(MEASUREMENT_REQUIRED):
        return check.finish(frame)
    clean = pd.DataFrame({
        "kpi": check.text("kpi"), "segment": check.text("segment", required=False, default=DEFAULT_SEGMENT),
        "period": check.cells("period", _month, required=True),
        "actual": check.number("actual", required=False), "target": check.number("target", required=False),
        "numerator": check.number("numerator", required=False, low=0.0),
        "denominator": check.number("denominator", required=False, low=0.0),
    })
    _counts_paired(check, clean)
    for row in clean.index[clean["actual"].isna() & clean["target"].isna()]:
        if not _blank(frame.at[row, "actual"]):
            continue
        check.add(row, "actual", Message("is empty: give an actual (or at least a target for the month)"))
    if known_kpis is not None:
        for row, kpi in clean["kpi"].items():
            if not _blank(kpi) and kpi not in known_kpis:
                check.add(row, "kpi", Message("unknown KPI '{kpi}': define it in the KPI file or the app first", kpi=kpi))
    _known_segments(check, clean, known_segments)
    check.duplicates(clean, ["kpi", "segment", "period"], "measurement")
    return check.finish(clean)


def _counts_paired(check: _Checker, clean: pd.DataFrame) -> None:
    """A ratio's counts come as a pair (both cells filled or both blank) with a denominator above 0."""
    given = {column: (~check.frame[column].map(_blank) if column in check.frame else pd.Series(False, clean.index))
             for column in ("numerator", "denominator")}
    for row in clean.index[given["numerator"] != given["denominator"]]:
        column = "numerator" if given["denominator"][row] else "denominator"
        check.add(row, column, Message("give both numerator and denominator (the counts behind the actual), or neither"))
    for row in clean.index[clean["denominator"] == 0]:
        check.add(row, "denominator", Message("must be above 0 (it counts the opportunities)"))


def numeric_column(frame: pd.DataFrame, column: str, file_name: str) -> np.ndarray:
    """One column of a :func:`read_table` frame as floats (Persian digits accepted), for a chart.

    Raises ImportValidationError for a file without that column or without rows, or naming each
    empty, non-numeric or formula cell by row and column.
    """
    column = column.strip().lower()
    check = _Checker(_numbered(frame), file_name)
    if not check.structure([column]):
        check.finish(frame)
    values = check.number(column)
    check.finish(values.to_frame())
    return values.to_numpy(dtype=float)


def kpis_template() -> pd.DataFrame:
    """An example KPIS table with every column, for a "download template" button."""
    return pd.DataFrame([
        ["Financial", "Grow CRM revenue", "Revenue", "USD", "higher", 120000, 2, 0.10, 100000, 1, 1, "All", "sum"],
        ["Customer", "Keep valuable customers", "Retention rate", "%", "higher", 90, 1, 0.05, "", 1, 1, "All", "ratio"],
        ["Operational – service", "Resolve complaints fast", "Complaint resolution time", "days", "lower", 2, 1,
         "", "", 1, 1, "All", "mean"],
    ], columns=list(KPI_REQUIRED + KPI_OPTIONAL))


def measurements_template() -> pd.DataFrame:
    """An example MEASUREMENTS table with every column, for a "download template" button."""
    return pd.DataFrame([
        ["Revenue", "2025-01", 98000, "", "All", "", ""],
        ["Retention rate", "2025-01", 87.5, "", "All", 1750, 2000],
        ["Complaint resolution time", "2025-01", 2.4, 2.5, "All", "", ""],
    ], columns=list(MEASUREMENT_REQUIRED + MEASUREMENT_OPTIONAL))
