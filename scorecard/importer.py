"""Parsing and validation of the two import files of the public contract (KPIS and MEASUREMENTS).

Pure: nothing here touches the database. Files are CSV (comma, semicolon or tab separated,
UTF-8 with or without BOM, or UTF-16) or Excel .xlsx (first sheet). Headers are matched after
trimming and lower-casing; unknown columns are ignored. Persian/Arabic digits are accepted in
numbers. Every problem is collected before anything is rejected, each naming the file, the
row as a spreadsheet shows it (the header is row 1, so the first data row is row 2) and the
column. Rows that are entirely blank are skipped but keep their row numbers.

KPIS columns: perspective, objective, kpi, unit, direction (higher|lower), target, weight (≥ 0);
optional amber (fraction of |target| in [0, 1]; blank = the configured default, 0.10 unless
changed), baseline, objective_weight, perspective_weight (≥ 0), segment (blank = All),
aggregation (sum|mean|last|ratio). A KPI listed for several segments must agree on its
perspective, objective, unit, direction and weight, and an objective belongs to one perspective.

MEASUREMENTS columns: kpi, period (YYYY-MM), actual; optional target (overrides the KPI's
target for that month) and segment (blank = All). A row may leave ``actual`` blank when it
gives a target (a target for a future month), but not both.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from scorecard.periods import AGGREGATIONS

DIRECTIONS = ("higher", "lower")
DEFAULT_SEGMENT = "All"
KPI_REQUIRED = ("perspective", "objective", "kpi", "unit", "direction", "target", "weight")
KPI_OPTIONAL = ("amber", "baseline", "objective_weight", "perspective_weight", "segment", "aggregation")
MEASUREMENT_REQUIRED = ("kpi", "period", "actual")
MEASUREMENT_OPTIONAL = ("target", "segment")
MAX_LISTED = 25
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩٫", "01234567890123456789.")
_ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class ImportProblem:
    """One problem in an import file; ``row`` as a spreadsheet shows it (header = row 1)."""

    file: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}, row {self.row}" + (f", column '{self.column}'" if self.column else "")
        return f"{where}: {self.message}"


class ImportValidationError(ValueError):
    """The import file(s) are invalid; ``problems`` lists every problem found."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        self.problems = list(problems)
        lines = [str(p) for p in self.problems[:MAX_LISTED]]
        if len(self.problems) > MAX_LISTED:
            lines.append(f"… and {len(self.problems) - MAX_LISTED} more")
        files = ", ".join(dict.fromkeys(p.file for p in self.problems))
        super().__init__(f"{len(self.problems)} problem(s) in {files}:\n" + "\n".join(lines))


def _read_bytes(source: Any) -> bytes:
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as handle:
            return handle.read()
    if hasattr(source, "getvalue"):
        return bytes(source.getvalue())
    if hasattr(source, "seek"):
        source.seek(0)
    data = source.read()
    return data.encode("utf-8") if isinstance(data, str) else bytes(data)


def _decode(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problem = ImportProblem(name, 1, "", f"is not UTF-8 text or an .xlsx workbook (byte {exc.start}); "
                                             "save it as 'CSV UTF-8' or as Excel .xlsx")
        raise ImportValidationError([problem]) from exc


def _raw_table(data: bytes, name: str) -> pd.DataFrame:
    """All cells, no header interpretation: strings from CSV, Python values from Excel."""
    if data.startswith(_ZIP_MAGIC) or name.lower().endswith((".xlsx", ".xlsm")):
        try:
            return pd.read_excel(io.BytesIO(data), header=None, dtype=object, engine="openpyxl",
                                 keep_default_na=False)
        except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
            raise ImportValidationError([ImportProblem(name, 1, "", f"cannot be read as an Excel workbook ({exc})")]) from exc
    text = _decode(data, name)
    if not text.strip():
        return pd.DataFrame()
    first_line = text.splitlines()[0]
    try:
        delimiter = csv.Sniffer().sniff(first_line, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    try:
        return pd.read_csv(io.StringIO(text), header=None, dtype=str, sep=delimiter, keep_default_na=False,
                           skip_blank_lines=False)
    except (pd.errors.ParserError, ValueError) as exc:
        raise ImportValidationError([ImportProblem(name, 1, "", f"is not a valid CSV table ({exc})")]) from exc


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or (isinstance(value, str) and not value.strip())


def read_table(source: Any, name: str | None = None) -> pd.DataFrame:
    """Read a CSV or .xlsx file (path, bytes buffer or upload) into a frame of raw cells.

    Headers are trimmed and lower-cased; text cells are trimmed. The index holds each row's
    spreadsheet row number (header = 1). Raises ImportValidationError for an unreadable file.
    """
    name = str(name if name is not None else getattr(source, "name", source))
    raw = _raw_table(_read_bytes(source), name)
    if raw.empty:
        return pd.DataFrame()
    header = ["" if _blank(h) else str(h).strip().lower() for h in raw.iloc[0]]
    body = raw.iloc[1:].map(lambda v: v.strip() if isinstance(v, str) else v)
    body.columns = header
    body.index = pd.RangeIndex(2, len(body) + 2)
    filled = ~body.map(_blank).all(axis=1)
    table = body[filled]
    table.attrs["spreadsheet_rows"] = True
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

    def add(self, row: int, column: str, message: str) -> None:
        self.problems.append(ImportProblem(self.name, int(row), column, message))

    def structure(self, required: Iterable[str]) -> bool:
        """Required columns present, no column named twice, at least one data row."""
        columns = list(self.frame.columns)
        if not columns:
            self.add(1, "", "the file is empty (expected a header row and data rows)")
            return False
        for column in sorted({c for c in columns if c and columns.count(c) > 1}):
            self.add(1, column, "the column appears more than once in the header")
        for column in required:
            if column not in columns:
                self.add(1, column, "required column is missing")
        if not self.problems and self.frame.empty:
            self.add(2, "", "the file has a header but no data rows")
        return not self.problems

    def cells(self, column: str, convert: Callable[[Any], Any], required: bool, default: Any = np.nan) -> pd.Series:
        """Convert each cell; ``convert`` returns the value or raises ValueError with the message."""
        if column not in self.frame:
            return pd.Series(default, index=self.frame.index, dtype=object)
        values = {}
        for row, value in self.frame[column].items():
            if _blank(value):
                if required:
                    self.add(row, column, "is required but empty")
                values[row] = default
                continue
            try:
                values[row] = convert(value)
            except ValueError as exc:
                self.add(row, column, str(exc))
                values[row] = default
        return pd.Series(values, index=self.frame.index, dtype=object)

    def text(self, column: str, required: bool = True, default: Any = np.nan) -> pd.Series:
        return self.cells(column, lambda v: str(v).strip(), required, default)

    def number(self, column: str, required: bool = True, low: float | None = None,
               high: float | None = None) -> pd.Series:
        return self.cells(column, lambda v: _number(v, low, high), required).astype(float)

    def choice(self, column: str, choices: tuple[str, ...], required: bool = True) -> pd.Series:
        def convert(value: Any) -> str:
            text = str(value).strip().lower()
            if text not in choices:
                raise ValueError(f"'{value}' must be one of {', '.join(choices)}")
            return text
        return self.cells(column, convert, required)

    def duplicates(self, clean: pd.DataFrame, keys: list[str], what: str) -> None:
        """Flag every row repeating the ``keys`` of an earlier row."""
        first: dict[tuple, int] = {}
        for row, key in zip(clean.index, clean[keys].itertuples(index=False, name=None)):
            if any(_blank(k) for k in key):
                continue
            if key in first:
                shown = ", ".join(f"{k} '{v}'" for k, v in zip(keys, key))
                self.add(row, keys[0], f"duplicate {what} ({shown}) already in row {first[key]}")
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
                self.add(row, column, f"{key} '{record[key]}' has {column} '{_shown(a)}' in row "
                                      f"{first_row} but '{_shown(b)}' here")

    def finish(self, clean: pd.DataFrame) -> pd.DataFrame:
        if self.problems:
            raise ImportValidationError(sorted(self.problems, key=lambda p: (p.row, p.column)))
        return clean.reset_index(drop=True)


def _missing(value: Any) -> bool:
    """A cell left blank or already reported as invalid (converted to NaN)."""
    return isinstance(value, float) and np.isnan(value)


def _shown(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _number(value: Any, low: float | None, high: float | None) -> float:
    if isinstance(value, bool):
        raise ValueError(f"'{value}' is not a number")
    try:
        number = float(str(value).strip().translate(_DIGITS)) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        raise ValueError(f"'{value}' is not a number") from None
    if not np.isfinite(number):
        raise ValueError(f"'{value}' is not a finite number")
    if low is not None and number < low:
        raise ValueError(f"{number:g} must not be below {low:g}")
    if high is not None and number > high:
        raise ValueError(f"{number:g} must not be above {high:g}")
    return number


def _month(value: Any) -> str:
    if isinstance(value, (dt.date, pd.Timestamp)):      # Excel turns 2025-01 into a date
        return f"{value.year:04d}-{value.month:02d}"
    text = str(value).strip().translate(_DIGITS)
    match = _MONTH.match(text)
    if not match:
        raise ValueError(f"'{value}' is not a month in the form YYYY-MM (like 2025-01)")
    if not 1 <= int(match.group(2)) <= 12:
        raise ValueError(f"'{value}': month {match.group(2)} does not exist (01 to 12)")
    return text


def validate_kpis(frame: pd.DataFrame, file_name: str) -> pd.DataFrame:
    """Check a KPIS table (as :func:`read_table` returns it) and return it clean and typed.

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
    check.duplicates(clean, ["kpi", "segment"], "KPI for this segment")
    check.consistent(clean, "kpi", ["perspective", "objective", "unit", "direction", "weight"])
    check.consistent(clean.drop_duplicates(["objective", "perspective"]), "objective", ["perspective"])
    return check.finish(clean)


def validate_measurements(frame: pd.DataFrame, file_name: str, known_kpis: set[str] | None = None) -> pd.DataFrame:
    """Check a MEASUREMENTS table and return it clean: kpi, segment, period, actual, target.

    ``known_kpis``: names a measurement may refer to (KPIs already defined plus those being
    imported); None skips that check. Raises ImportValidationError listing every problem.
    """
    frame = _numbered(frame)
    check = _Checker(frame, file_name)
    if not check.structure(MEASUREMENT_REQUIRED):
        return check.finish(frame)
    clean = pd.DataFrame({
        "kpi": check.text("kpi"), "segment": check.text("segment", required=False, default=DEFAULT_SEGMENT),
        "period": check.cells("period", _month, required=True),
        "actual": check.number("actual", required=False), "target": check.number("target", required=False),
    })
    for row in clean.index[clean["actual"].isna() & clean["target"].isna()]:
        if not _blank(frame.at[row, "actual"]):
            continue
        check.add(row, "actual", "is empty: give an actual (or at least a target for the month)")
    if known_kpis is not None:
        for row, kpi in clean["kpi"].items():
            if not _blank(kpi) and kpi not in known_kpis:
                check.add(row, "kpi", f"unknown KPI '{kpi}': define it in the KPI file or the app first")
    check.duplicates(clean, ["kpi", "segment", "period"], "measurement")
    return check.finish(clean)


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
        ["Revenue", "2025-01", 98000, "", "All"],
        ["Retention rate", "2025-01", 87.5, "", "All"],
        ["Complaint resolution time", "2025-01", 2.4, 2.5, "All"],
    ], columns=list(MEASUREMENT_REQUIRED + MEASUREMENT_OPTIONAL))
