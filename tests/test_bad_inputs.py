"""The bad-input corpus (tests/bad_inputs.py) through every entry point: the importer as the app's
import form calls it, the command line (in process and as a real subprocess) and the SPC studio's
upload. Each file is refused with a message naming the file, and the row and column where the
problem is in a cell or header; no traceback; every table's row count and checksum unchanged.
Persian and Arabic-Indic digits and Jalali months are accepted and converted.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from data.bootstrap import prepare_database
from data.imports import kpi_names, save_import, segment_names
from data.models import Kpi, Measurement, Objective, Perspective, Segment
from data.writes import SYSTEM_USER
from scorecard.__main__ import main
from scorecard.io.importer import (
    TEXT_LIMITS,
    ImportValidationError,
    max_import_bytes,
    numeric_column,
    read_table,
    validate_kpis,
    validate_measurements,
)
from tests.apptest import ok, start, texts
from tests.bad_inputs import CORPUS, MEASUREMENT_HEADER, BadFile, base_database, snapshot, where

ROOT = Path(__file__).resolve().parent.parent
SUBPROCESS_CASES = ["formula-in-name", "cp1256", "png-as-csv", "zip-not-xlsx", "fifty-megabytes", "empty-file",
                    "ragged-row"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bad_inputs")
    return {bad.id: bad.build(folder) for bad in CORPUS}


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def database(request, tmp_path_factory):
    """(url, engine) of a migrated database holding the two KPIs of BASE_KPIS and one month of actuals."""
    url = (f"sqlite:///{tmp_path_factory.mktemp('bad_db') / 'base.db'}" if request.param == "sqlite"
           else request.getfixturevalue("new_postgres_database")())
    engine = base_database(url)
    yield url, engine
    engine.dispose()


def _import(engine, bad: BadFile, path: Path) -> None:
    """What the app's import form does with one uploaded file: read, validate, save in one transaction."""
    table = read_table(path, path.name)
    if bad.kind == "kpis":
        save_import(engine, SYSTEM_USER, validate_kpis(table, path.name, segment_names(engine)), None)
    else:
        save_import(engine, SYSTEM_USER, None, validate_measurements(table, path.name, kpi_names(engine),
                                                                      segment_names(engine)))


def _assert_clear(message: str, bad: BadFile, path: Path) -> None:
    assert path.name in message and bad.phrase in message, message
    for fragment in where(bad.row, bad.column):
        assert fragment in message, message
    assert "Traceback" not in message


@pytest.mark.parametrize("bad", CORPUS, ids=lambda b: b.id)
def test_the_importer_refuses_each_bad_file_and_writes_nothing(bad, corpus, database):
    _, engine = database
    before = snapshot(engine)
    with pytest.raises(ImportValidationError) as excinfo:
        _import(engine, bad, corpus[bad.id])
    assert (bad.row, bad.column) in {(p.row, p.column) for p in excinfo.value.problems}
    _assert_clear(str(excinfo.value), bad, corpus[bad.id])
    assert snapshot(engine) == before


@pytest.mark.parametrize("bad", CORPUS, ids=lambda b: b.id)
def test_the_command_line_refuses_each_bad_file_and_writes_nothing(bad, corpus, database, capsys):
    url, engine = database
    before = snapshot(engine)
    code = main(["import", f"--{bad.kind}", str(corpus[bad.id]), "--db", url])
    err = capsys.readouterr().err
    assert code == 1 and err.startswith("error: ")
    _assert_clear(err, bad, corpus[bad.id])
    assert snapshot(engine) == before


@pytest.mark.parametrize("case", SUBPROCESS_CASES)
def test_the_real_command_exits_non_zero_without_a_traceback(case, corpus, tmp_path):
    bad = next(b for b in CORPUS if b.id == case)
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    engine = prepare_database(url, seed_demo=False)
    before = snapshot(engine)
    result = subprocess.run([sys.executable, "-m", "scorecard", "import", f"--{bad.kind}", str(corpus[case]),
                             "--db", url], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and result.stdout == ""
    _assert_clear(result.stderr, bad, corpus[case])
    assert snapshot(engine) == before
    engine.dispose()


@pytest.fixture(scope="module")
def spc_studio(sqlite_url, sqlite_engine):
    """The SPC studio page under AppTest with "Upload a file" chosen."""
    patch = pytest.MonkeyPatch()
    at = start(sqlite_url, "screens/spc_studio.py", patch)
    at.segmented_control(key="spc_source").set_value("upload")
    yield ok(at.run())
    patch.undo()


def _upload(at, path: Path, column: str = "actual"):
    """Upload ``path`` in the studio and chart its ``column`` when the file has one."""
    at.file_uploader(key="spc_upload").upload(path.name, path.read_bytes(), "text/csv")
    at.run()
    pickers = [s for s in at.selectbox if s.key == "spc_value_column"]
    if pickers and column in pickers[0].options:
        pickers[0].set_value(column)
        at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.mark.parametrize("bad", [b for b in CORPUS if b.spc], ids=lambda b: b.id)
def test_the_spc_studio_upload_refuses_each_bad_file(bad, corpus, spc_studio):
    at = _upload(spc_studio, corpus[bad.id])
    assert not at.get("plotly_chart")
    if bad.spc_phrase:
        assert f"{corpus[bad.id].name} {bad.spc_phrase}" in texts(at.error)
    else:
        _assert_clear(texts(at.error), bad, corpus[bad.id])


def test_the_spc_studio_charts_persian_digits(spc_studio, tmp_path):
    path = tmp_path / "values.csv"
    path.write_text("actual\n" + "\n".join(["۱۰٫۲", "٩٫٨", "10.1", "۱۰٫۴", "۹٫۹", "۱۰", "١٠٫٣", "۹٫۷"]) + "\n",
                    encoding="utf-8")
    at = ok(_upload(spc_studio, path))
    assert at.get("plotly_chart") and "I-MR" in texts(at.info)
    assert numeric_column(read_table(path), "Actual", "values.csv")[:3].tolist() == [10.2, 9.8, 10.1]


def test_persian_and_arabic_indic_digits_and_jalali_months_are_imported(database, tmp_path):
    """Decision: Persian users write numbers in their digits and months in the Jalali calendar; both are accepted.

    A Jalali YYYY/MM or YYYY/MM/DD (year 1300–1499) becomes the Gregorian month whose 15th falls in
    that Jalali month, the rule the app's Jalali periods use: Tir 1403 ran from 21 June to 21 July
    2024 (jdatetime; 1 Farvardin 1403 was 20 March 2024), so 1403/04/15 and 1403/04 are stored as 2024-07.
    """
    url, engine = database
    path = tmp_path / "fa.csv"
    path.write_text(MEASUREMENT_HEADER + "Revenue,۱۴۰۳/۰۴/۱۵,۱۲۳٫۵\nComplaints,1403/04,١٢\n"
                    "Revenue,1403-01,۱۲٬۵۰۰\nComplaints,2024-08,−۳\n", encoding="utf-8")
    assert main(["import", "--measurements", str(path), "--db", url]) == 0
    with engine.connect() as connection:
        rows = connection.execute(select(Kpi.name, Measurement.period, Measurement.actual).join(Kpi)
                                  .where(Measurement.period.like("2024-%")).order_by(Kpi.name, Measurement.period)).all()
    assert [tuple(r) for r in rows] == [("Complaints", "2024-07", 12.0), ("Complaints", "2024-08", -3.0),
                                        ("Revenue", "2024-04", 12500.0), ("Revenue", "2024-07", 123.5)]


def test_the_size_limit_is_configurable_and_checked_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "small.csv"
    path.write_text(MEASUREMENT_HEADER + "Revenue,2025-01,1\n" * 100)
    assert len(read_table(path)) == 100
    monkeypatch.setenv("IMPORT_MAX_MB", "0.001")
    assert max_import_bytes() == 1048
    with pytest.raises(ImportValidationError, match=r"small.csv: is 1,818 bytes, above the import limit of 1,048 bytes"):
        read_table(path)

    class Upload:             # a Streamlit upload knows its size; this one must never be read
        name, size = "huge.xlsx", 60 * 1024 * 1024

        def getvalue(self):
            raise AssertionError("a file above the limit was read")

    monkeypatch.setenv("IMPORT_MAX_MB", "20")
    with pytest.raises(ImportValidationError, match="huge.xlsx: is 60 MB, above the import limit of 20 MB"):
        read_table(Upload())
    monkeypatch.setenv("IMPORT_MAX_MB", "lots")
    with pytest.raises(ValueError, match="IMPORT_MAX_MB must be a number of megabytes"):
        read_table(path)


def test_text_limits_are_the_database_column_widths():
    columns = {"perspective": Perspective.name, "objective": Objective.name, "kpi": Kpi.name, "unit": Kpi.unit,
               "segment": Segment.name}
    assert TEXT_LIMITS == {name: column.type.length for name, column in columns.items()}
