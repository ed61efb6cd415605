"""Availability caps on imports (issue #21, point 1): a zip bomb named .xlsx and files of too many rows are
refused within seconds, before the rows are parsed, with a message naming the limit and its setting."""

from __future__ import annotations

import io
import resource
import time

import pytest
from openpyxl import Workbook

from scorecard.io.importer import ImportValidationError, max_import_rows, max_uncompressed_bytes, read_table
from tests.bad_inputs import BOMB_ROWS, zip_bomb

# Generous bounds (the machine is small and shared): reading the bomb in full took 94 s and 875 MB (#21).
QUICK_SECONDS = 10
BOUNDED_MB = 400


@pytest.fixture(scope="module")
def bomb(tmp_path_factory):
    return zip_bomb(tmp_path_factory.mktemp("bomb") / "bomb.xlsx")


def _refusal(path, name="bomb.xlsx") -> tuple[str, float]:
    start = time.perf_counter()
    with pytest.raises(ImportValidationError) as excinfo:
        read_table(path, name)
    return str(excinfo.value), time.perf_counter() - start


def test_the_bomb_is_small_and_unpacks_far_beyond_the_default_cap(bomb):
    import zipfile
    with zipfile.ZipFile(bomb) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    assert bomb.stat().st_size < 1024 * 1024 and unpacked > 100 * 1024 * 1024


def test_a_zip_bomb_is_refused_by_its_unpacked_size_at_once(bomb):
    message, seconds = _refusal(bomb)
    assert "unpacks to" in message and "IMPORT_MAX_UNCOMPRESSED_MB" in message and "100 MB" in message
    assert seconds < QUICK_SECONDS


def test_with_a_higher_size_cap_the_row_cap_refuses_it_before_parsing(bomb, monkeypatch):
    monkeypatch.setenv("IMPORT_MAX_UNCOMPRESSED_MB", "1000")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    message, seconds = _refusal(bomb)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert f"more than {500_000:,} data rows" in message and "IMPORT_MAX_ROWS" in message
    assert BOMB_ROWS > 500_000
    assert seconds < QUICK_SECONDS and grown_mb < BOUNDED_MB


def test_the_row_cap_is_configurable_for_excel_and_csv(tmp_path, monkeypatch):
    monkeypatch.setenv("IMPORT_MAX_ROWS", "50")
    book = Workbook()
    book.active.append(["kpi", "period", "actual"])
    for month in range(1, 61):
        book.active.append(["Revenue", f"{2000 + month // 12}-{month % 12 + 1:02d}", month])
    book.save(tmp_path / "m.xlsx")
    assert "more than 50 data rows" in _refusal(tmp_path / "m.xlsx", "m.xlsx")[0]
    csv_text = "kpi,period,actual\n" + "".join(f"Revenue,2001-01,{i}\n" for i in range(51))
    assert "more than 50 data rows" in _refusal(io.BytesIO(csv_text.encode()), "m.csv")[0]
    exactly = "kpi,period,actual\n" + "".join(f"Revenue,2001-01,{i}\n" for i in range(50))
    assert len(read_table(io.BytesIO(exactly.encode()), "m.csv")) == 50


def test_the_caps_default_and_refuse_nonsense(monkeypatch):
    assert max_import_rows() == 500_000 and max_uncompressed_bytes() == 100 * 1024 * 1024
    monkeypatch.setenv("IMPORT_MAX_ROWS", "many")
    with pytest.raises(ValueError, match="IMPORT_MAX_ROWS"):
        max_import_rows()
