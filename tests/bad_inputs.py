"""The bad-input corpus: import files that must be refused, built in code (nothing large is committed).

Each :class:`BadFile` writes one file into a folder and says where its first problem is (the row
and column an error message must name; row 0 = the whole file) and a phrase the message must
contain. ``kind`` says which import file it stands for; ``spc`` whether the SPC studio's upload
(charting the ``actual`` column where there is one) must refuse it too. The files are meant for a database
that already holds the KPIs of :data:`BASE_KPIS` (:func:`base_database`). :func:`snapshot` fingerprints a database so a
test can show that nothing was written.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import Engine, select

from data.bootstrap import prepare_database
from data.imports import save_import
from data.models import Base
from data.writes import SYSTEM_USER
from scorecard.io.importer import read_table, validate_kpis, validate_measurements

BASE_KPIS = """perspective,objective,kpi,unit,direction,target,weight
Financial,Grow revenue,Revenue,$k,higher,100,2
Customer,Keep customers,Complaints,count,lower,10,1
"""
MEASUREMENT_HEADER = "kpi,period,actual\n"
BASE_MONTH = MEASUREMENT_HEADER + "Revenue,2025-01,95\nComplaints,2025-01,12\n"
FORMULA = "=cmd|' /C calc'!A0"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512     # an Office 97 (.xls) file starts so
BIG_MB = 50


@dataclass(frozen=True)
class BadFile:
    """One corpus entry: ``build(folder)`` writes the file and returns its path."""

    id: str
    kind: str                       # "kpis" or "measurements"
    build: Callable[[Path], Path]
    row: int
    column: str
    phrase: str
    spc: bool = False
    spc_phrase: str = ""            # the studio's own message when it differs (a file without rows)


def _text(name: str, text: str, encoding: str = "utf-8") -> Callable[[Path], Path]:
    return _raw(name, text.encode(encoding))


def _raw(name: str, data: bytes) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path
    return build


def _workbook(name: str, rows: list[list]) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        book = Workbook()
        for row in rows:
            book.active.append(row)
        path = folder / name
        book.save(path)
        return path
    return build


def _big(name: str) -> Callable[[Path], Path]:
    """A well-formed measurements CSV of just over BIG_MB megabytes, written in big blocks."""
    def build(folder: Path) -> Path:
        path = folder / name
        block = "".join(f"Revenue,20{y:02d}-{m:02d},{y * 12 + m}\n" for y in range(10, 30) for m in range(1, 13)) * 200
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(MEASUREMENT_HEADER)
            while handle.tell() <= BIG_MB * 1024 * 1024:
                handle.write(block)
        return path
    return build


def _zip(name: str) -> Callable[[Path], Path]:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "kpi,period,actual\nRevenue,2025-01,1\n")
    return _raw(name, buffer.getvalue())


BOMB_ROWS = 1_500_000
_BOMB_ROW = ('<row><c t="inlineStr"><is><t>Revenue</t></is></c><c t="inlineStr"><is><t>2025-01</t></is></c>'
             '<c><v>95</v></c></row>')


def zip_bomb(path: Path, rows: int = BOMB_ROWS) -> Path:
    """A small .xlsx whose one sheet holds ``rows`` repeated measurement rows (a zip bomb: 1.5M rows,
    about 160 MB of sheet XML, packed into well under 1 MB). The sheet is streamed into the archive,
    so building it needs little memory."""
    template = io.BytesIO()
    book = Workbook()
    book.active.append(["kpi", "period", "actual"])
    book.save(template)
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                bomb.writestr(info, source.read(info))
                continue
            sheet_xml = re.sub(r"<dimension [^>]*/>", "", source.read(info).decode("utf-8"))  # rows unknown upfront
            head, _, tail = sheet_xml.partition("<sheetData>")
            _, _, tail = tail.partition("</sheetData>")
            with bomb.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
                sheet.write((head + '<sheetData><row><c t="inlineStr"><is><t>kpi</t></is></c><c t="inlineStr"><is>'
                             '<t>period</t></is></c><c t="inlineStr"><is><t>actual</t></is></c></row>').encode())
                block = (_BOMB_ROW * 10_000).encode()
                for _ in range(rows // 10_000):
                    sheet.write(block)
                sheet.write(("</sheetData>" + tail).encode())
    return path


def _bomb(name: str) -> Callable[[Path], Path]:
    return lambda folder: zip_bomb(folder / name)


def _m(body: str) -> str:
    return MEASUREMENT_HEADER + body


CORPUS: list[BadFile] = [
    BadFile("text-in-number", "measurements", _text("m_type.csv", _m("Revenue,2025-01,abc\n")), 2, "actual",
            "not a number", spc=True),
    BadFile("infinite-number", "measurements", _text("m_inf.csv", _m("Revenue,2025-01,inf\n")), 2, "actual",
            "not a finite number", spc=True),
    BadFile("bad-persian-number", "measurements", _text("m_fa_bad.csv", _m("Revenue,2025-01,۱۲x\n")), 2, "actual",
            "not a number", spc=True),
    BadFile("empty-actual", "measurements", _text("m_blank.csv", _m("Revenue,2025-01,\n")), 2, "actual",
            "empty", spc=True),
    BadFile("missing-columns", "kpis", _text("k_missing.csv", "perspective,kpi,target\nF,K,1\n"), 1, "objective",
            "required column is missing"),
    BadFile("missing-column-measurements", "measurements", _text("m_missing.csv", "kpi,period\nRevenue,2025-01\n"),
            1, "actual", "required column is missing"),
    BadFile("header-twice", "measurements", _text("m_twice.csv", "kpi,KPI,period,actual\nRevenue,Revenue,2025-01,1\n"),
            1, "kpi", "more than once", spc=True),
    BadFile("duplicate-measurement", "measurements",
            _text("m_dup.csv", _m("Revenue,2025-01,1\nRevenue,2025-01,2\n")), 3, "kpi", "duplicate measurement"),
    BadFile("duplicate-kpi", "kpis", _text("k_dup.csv", BASE_KPIS + "Financial,Grow revenue,Revenue,$k,higher,90,2\n"),
            4, "kpi", "duplicate KPI"),
    BadFile("unknown-kpi", "measurements", _text("m_ghost.csv", _m("Ghost,2025-01,1\n")), 2, "kpi", "unknown KPI 'Ghost'"),
    BadFile("bad-direction", "kpis", _text("k_dir.csv", BASE_KPIS.replace("higher", "up")), 2, "direction",
            "must be one of higher, lower"),
    BadFile("negative-weight", "kpis", _text("k_weight.csv", BASE_KPIS.replace(",lower,10,1", ",lower,10,-1")), 3,
            "weight", "must not be below 0"),
    BadFile("name-too-long", "kpis", _text("k_long.csv", BASE_KPIS.replace("Revenue", "R" * 300)), 2, "kpi",
            "at most 200 fit"),
    BadFile("impossible-month", "measurements", _text("m_month.csv", _m("Revenue,2025-13,1\n")), 2, "period",
            "month 13 does not exist"),
    BadFile("gregorian-slashes", "measurements", _text("m_slash.csv", _m("Revenue,2025/01,1\n")), 2, "period",
            "not a month in the form YYYY-MM"),
    BadFile("impossible-jalali-date", "measurements", _text("m_jalali.csv", _m("Revenue,1403/07/31,1\n")), 2, "period",
            "not a date in the Jalali calendar"),
    BadFile("cp1256", "measurements", _text("m_cp1256.csv", _m("Revenue,2025-01,1\nدرآمد,2025-02,2\n"), "cp1256"),
            3, "kpi", "not UTF-8"),
    BadFile("latin-1", "kpis", _text("k_latin1.csv", BASE_KPIS.replace("Keep", "Kéep"), "latin-1"), 3, "objective",
            "not UTF-8"),
    BadFile("formula-in-name", "measurements", _text("m_formula.csv", _m(f"\"{FORMULA}\",2025-01,1\n")), 2, "kpi",
            "is a spreadsheet formula"),
    BadFile("formula-minus-plus", "measurements",
            _text("m_formula_pm.csv", _m("Revenue,2025-01,1\n\"-2+3+cmd|' /C calc'!A0\",2025-02,1\n")), 3, "kpi",
            "is a spreadsheet formula"),
    BadFile("formula-in-number", "measurements", _text("m_formula_n.csv", _m("Revenue,2025-01,=1+2\n")), 2, "actual",
            "is a spreadsheet formula", spc=True),
    BadFile("formula-plus-minus-at", "kpis", _text("k_formula.csv", BASE_KPIS.replace("Keep customers", "@SUM(A1)")), 3,
            "objective", "is a spreadsheet formula"),
    BadFile("formula-in-excel", "measurements",
            _workbook("m_formula.xlsx", [["kpi", "period", "actual"], ["Revenue", "2025-01", "=SUM(1,2)"]]), 2,
            "actual", "is a spreadsheet formula", spc=True),
    BadFile("formula-injection-in-excel", "kpis", _workbook("k_formula.xlsx", [
        ["perspective", "objective", "kpi", "unit", "direction", "target", "weight"],
        ["Financial", "Grow revenue", FORMULA, "$k", "higher", 100, 2]]), 2, "kpi", "is a spreadsheet formula"),
    BadFile("excel-wrong-types", "measurements", _workbook("m_types.xlsx", [
        ["kpi", "period", "actual"], ["Revenue", "2025-01", 1.5], ["Revenue", "2025-02", "n/a"]]), 3, "actual",
        "not a number", spc=True),
    BadFile("excel-header-only", "measurements", _workbook("m_header.xlsx", [["kpi", "period", "actual"]]), 2, "",
            "no data rows", spc=True, spc_phrase="holds no data"),
    BadFile("ragged-row", "measurements", _text("m_ragged.csv", _m("Revenue,2025-01,1\nRevenue,2025-02,2,oops\n")), 3,
            "D", "header only 3 columns", spc=True),
    BadFile("first-row-empty", "measurements", _text("m_first_blank.csv", "\n" + _m("Revenue,2025-01,1\n")), 1, "",
            "first row is empty", spc=True),
    BadFile("header-only", "measurements", _text("m_header.csv", MEASUREMENT_HEADER), 2, "", "no data rows", spc=True, spc_phrase="holds no data"),
    BadFile("empty-file", "measurements", _raw("m_empty.csv", b""), 1, "", "the file is empty", spc=True, spc_phrase="holds no data"),
    BadFile("blank-file", "kpis", _text("k_blank.csv", " \n\n  \n"), 1, "", "the file is empty"),
    BadFile("empty-xlsx", "measurements", _raw("m_empty.xlsx", b""), 1, "", "the file is empty", spc=True, spc_phrase="holds no data"),
    BadFile("png-as-csv", "measurements", _raw("m_image.csv", PNG), 0, "", "a PNG image", spc=True),
    BadFile("png-as-xlsx", "kpis", _raw("k_image.xlsx", PNG), 0, "", "a PNG image"),
    BadFile("zip-not-xlsx", "measurements", _zip("m_archive.xlsx"), 0, "", "zip archive but not an Excel", spc=True),
    BadFile("damaged-xlsx", "measurements", _raw("m_damaged.xlsx", b"PK\x03\x04 not really a workbook"), 0, "",
            "damaged zip archive", spc=True),
    BadFile("old-xls", "measurements", _raw("m_old.xls", OLE), 0, "", "old Excel .xls"),   # the uploader refuses .xls
    BadFile("old-xls-renamed", "measurements", _raw("m_old.xlsx", OLE), 0, "", "old Excel .xls", spc=True),
    BadFile("binary-junk", "measurements", _raw("m_junk.csv", bytes(range(256)) * 4), 0, "", "binary data", spc=True),
    BadFile("unknown-segment", "measurements", _text("m_segment.csv", "kpi,period,actual,segment\n"
                                                     "Revenue,2025-01,1,All customers\n"), 2, "segment",
            "unknown segment 'All customers'"),
    BadFile("unknown-segment-kpis", "kpis", _text("k_segment.csv", BASE_KPIS.rstrip("\n").replace(
        "weight\n", "weight,segment\n").replace(",2\n", ",2,\n") + ",Big spenders\n"), 3, "segment", "unknown segment"),
    BadFile("huge-value", "measurements", _text("m_huge.csv", _m("Revenue,2025-01,1e308\n")), 2, "actual",
            "beyond the accepted range of ±1e+12", spc=True),
    BadFile("minus-infinity", "measurements", _text("m_minus_inf.csv", _m("Revenue,2025-01,-inf\n")), 2, "actual",
            "'-inf' is not a finite number", spc=True),
    BadFile("month-zero-year", "measurements", _text("m_0000.csv", _m("Revenue,0000-01,1\n")), 2, "period",
            "outside the accepted months 1990-01 to 2100-12"),
    BadFile("month-far-future", "measurements", _text("m_9999.csv", _m("Revenue,9999-12,1\n")), 2, "period",
            "outside the accepted months 1990-01 to 2100-12"),
    BadFile("right-to-left-override", "kpis", _text("k_rlo.csv", BASE_KPIS.replace("Complaints", "Compl\u202eaints")),
            3, "kpi", "invisible control or formatting characters (U+202E)"),
    BadFile("zero-width-space", "kpis", _text("k_zwsp.csv", BASE_KPIS.replace("Keep customers", "Keep\u200bcustomers")),
            3, "objective", "invisible control or formatting characters (U+200B)"),
    BadFile("zip-bomb", "measurements", _bomb("m_bomb.xlsx"), 0, "", "above the import limit of 100 MB for an unpacked "
            "workbook", spc=True),
    BadFile("fifty-megabytes", "measurements", _big("m_big.csv"), 0, "", "above the import limit of 20 MB", spc=True),
]


def where(problem_row: int, column: str) -> list[str]:
    """The fragments an error message must hold to name a row and column (none for row 0)."""
    parts = [f"row {problem_row}"] if problem_row else []
    return parts + ([f"column '{column}'"] if column else [])


def base_database(url: str) -> Engine:
    """A migrated database at ``url`` holding the KPIs of BASE_KPIS and one month of their actuals."""
    engine = prepare_database(url, seed_demo=False)
    kpis = validate_kpis(read_table(io.BytesIO(BASE_KPIS.encode()), "KPIS.csv"), "KPIS.csv")
    month = validate_measurements(read_table(io.BytesIO(BASE_MONTH.encode()), "M.csv"), "M.csv", None)
    save_import(engine, SYSTEM_USER, kpis, month)
    return engine


def snapshot(engine: Engine) -> dict[str, tuple[int, str]]:
    """Every table's row count and a SHA-256 of its rows in primary-key order."""
    result = {}
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            rows = connection.execute(select(table).order_by(*table.primary_key.columns)).all()
            digest = hashlib.sha256(repr([tuple(row) for row in rows]).encode("utf-8")).hexdigest()
            result[table.name] = (len(rows), digest)
    return result
