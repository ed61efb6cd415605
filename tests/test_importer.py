"""Import files of API.md: parsing CSV/Excel and naming every problem by file, row and column."""

import io

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook

from scorecard.io.importer import (
    ImportProblem,
    ImportValidationError,
    kpis_template,
    measurements_template,
    read_table,
    validate_kpis,
    validate_measurements,
)

KPIS = """perspective,objective,kpi,unit,direction,target,weight,amber,baseline,segment
Financial,Grow revenue,Revenue,USD,higher,100000,2,,90000,
Financial,Grow revenue,Revenue,USD,higher,40000,2,0.05,,SME
Customer,Keep customers,Complaints,count,lower,10,1,0.2,,All
"""
MEASUREMENTS = """kpi,period,actual,target,segment
Revenue,2025-01,95000,,
Revenue,2025-01,41000,,SME
Complaints,2025-02,12,8,All
Complaints,2025-03,,9,All
"""


def _problems(excinfo) -> set[tuple[int, str]]:
    return {(p.row, p.column) for p in excinfo.value.problems}


def _write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_good_kpis_file(tmp_path):
    path = _write(tmp_path, "KPIS.csv", KPIS)
    kpis = validate_kpis(read_table(path, "KPIS.csv"), "KPIS.csv")
    assert list(kpis.columns) == ["perspective", "objective", "kpi", "unit", "direction", "target", "weight", "amber",
                                  "baseline", "objective_weight", "perspective_weight", "segment"]
    assert kpis["segment"].tolist() == ["All", "SME", "All"]
    assert kpis["target"].tolist() == [100000.0, 40000.0, 10.0]
    assert np.isnan(kpis.loc[0, "amber"]) and kpis.loc[1, "amber"] == 0.05    # blank = configured default
    assert kpis.loc[0, "baseline"] == 90000.0 and np.isnan(kpis.loc[1, "baseline"])
    assert kpis["target"].dtype == float and kpis["weight"].dtype == float


def test_good_measurements_file(tmp_path):
    path = _write(tmp_path, "MEASUREMENTS.csv", MEASUREMENTS)
    rows = validate_measurements(read_table(path), "MEASUREMENTS.csv", {"Revenue", "Complaints"})
    assert rows[["kpi", "segment", "period"]].values.tolist() == [
        ["Revenue", "All", "2025-01"], ["Revenue", "SME", "2025-01"], ["Complaints", "All", "2025-02"],
        ["Complaints", "All", "2025-03"]]
    assert rows["actual"].tolist()[:3] == [95000.0, 41000.0, 12.0] and np.isnan(rows.loc[3, "actual"])
    assert rows.loc[2, "target"] == 8.0 and np.isnan(rows.loc[0, "target"])


def test_headers_case_whitespace_semicolons_bom_and_blank_rows():
    text = "\ufeff KPI ;Period; ACTUAL ;notes\nRevenue;2025-01;۱۲۰٫۵;hello\n;;;\nRevenue;2025-02;x;\n"
    table = read_table(io.BytesIO(text.encode("utf-8")), "m.csv")
    assert list(table.columns) == ["kpi", "period", "actual", "notes"]
    assert table.index.tolist() == [2, 4]                  # blank row 3 skipped, numbering kept
    with pytest.raises(ImportValidationError) as excinfo:
        validate_measurements(table, "m.csv", {"Revenue"})
    assert excinfo.value.problems == [ImportProblem("m.csv", 4, "actual", "'x' is not a number")]
    assert "m.csv, row 4, column 'actual'" in str(excinfo.value)
    assert validate_measurements(table.iloc[:1], "m.csv", {"Revenue"})["actual"].item() == 120.5


def test_bad_kpis_file_lists_every_problem_with_row_and_column(tmp_path):
    text = KPIS + ("Financial,Grow revenue,Revenue,USD,higher,1,2,,,\n"          # row 5: duplicate of row 2
                   "Customer,Win,New customers,count,up,ten,-1,1.5,abc,\n"      # row 6: five bad cells
                   "Financial,Keep customers,Churn,%,lower,5,1,,,\n"            # row 7: objective in 2 perspectives
                   "Customer,Win,Leads,count,higher,,1,,,\n")                   # row 8: no target
    path = _write(tmp_path, "KPIS.csv", text)
    with pytest.raises(ImportValidationError) as excinfo:
        validate_kpis(read_table(path), "KPIS.csv")
    assert _problems(excinfo) == {(5, "kpi"), (6, "direction"), (6, "target"), (6, "weight"), (6, "amber"),
                                  (6, "baseline"), (7, "perspective"), (8, "target")}
    assert all(p.file == "KPIS.csv" for p in excinfo.value.problems)
    message = str(excinfo.value)
    assert "KPIS.csv, row 6, column 'direction': 'up' must be one of higher, lower" in message
    assert "already in row 2" in message
    assert isinstance(excinfo.value, ValueError)


def test_kpi_rows_of_one_kpi_must_agree():
    frame = pd.DataFrame({"perspective": ["F", "F"], "objective": ["O", "O"], "kpi": ["K", "K"], "unit": ["%", "%"],
                          "direction": ["higher", "lower"], "target": [1, 2], "weight": [1, 1],
                          "segment": ["All", "SME"]})
    with pytest.raises(ImportValidationError) as excinfo:
        validate_kpis(frame, "k.csv")
    assert _problems(excinfo) == {(3, "direction")}          # plain frames are numbered like a sheet


def test_missing_columns_and_empty_files(tmp_path):
    with pytest.raises(ImportValidationError) as excinfo:
        validate_kpis(read_table(_write(tmp_path, "KPIS.csv", "perspective,kpi,target\nF,K,1\n")), "KPIS.csv")
    assert _problems(excinfo) == {(1, "objective"), (1, "unit"), (1, "direction"), (1, "weight")}
    assert "required column is missing" in str(excinfo.value)
    with pytest.raises(ImportValidationError, match="empty"):
        validate_measurements(read_table(_write(tmp_path, "e.csv", "")), "e.csv", set())
    with pytest.raises(ImportValidationError, match="no data rows"):
        validate_measurements(read_table(_write(tmp_path, "h.csv", "kpi,period,actual\n")), "h.csv", set())
    with pytest.raises(ImportValidationError, match="more than once"):
        validate_measurements(read_table(_write(tmp_path, "d.csv", "kpi,KPI,period,actual\na,a,2025-01,1\n")),
                              "d.csv", {"a"})


def test_bad_measurements(tmp_path):
    text = ("kpi,period,actual,target,segment\n"
            "Revenue,2025-13,1,,\n"          # row 2: impossible month
            "Revenue,2025/01,1,,\n"          # row 3: bad format
            "Ghost,2025-01,1,,\n"            # row 4: unknown KPI
            "Revenue,2025-02,1,,\n"
            "Revenue,2025-02,2,,All\n"       # row 6: duplicate of row 5 (blank segment = All)
            "Revenue,2025-03,,,\n"           # row 7: neither actual nor target
            "Revenue,,5,,\n")                # row 8: no period
    with pytest.raises(ImportValidationError) as excinfo:
        validate_measurements(read_table(_write(tmp_path, "M.csv", text)), "M.csv", {"Revenue"})
    assert _problems(excinfo) == {(2, "period"), (3, "period"), (4, "kpi"), (6, "kpi"), (7, "actual"), (8, "period")}
    message = str(excinfo.value)
    assert "month 13 does not exist" in message and "unknown KPI 'Ghost'" in message
    assert validate_measurements(read_table(_write(tmp_path, "ok.csv", "kpi,period,actual\nGhost,2025-01,1\n")),
                                 "ok.csv", None)["kpi"].tolist() == ["Ghost"]


def test_excel_files(tmp_path):
    import datetime as dt

    book = Workbook()
    sheet = book.active
    sheet.append(["KPI", "Period", "Actual", "Segment"])
    sheet.append(["Revenue", "2025-01", 10.5, None])
    sheet.append(["Revenue", dt.datetime(2025, 2, 1), 11, "SME"])   # Excel turned the month into a date
    sheet.append([None, None, None, None])
    sheet.append(["Revenue", "2025-03", "n/a", None])
    path = tmp_path / "measurements.xlsx"
    book.save(path)
    table = read_table(path, "measurements.xlsx")
    assert table.index.tolist() == [2, 3, 5]
    with pytest.raises(ImportValidationError) as excinfo:
        validate_measurements(table, "measurements.xlsx", {"Revenue"})
    assert [str(p) for p in excinfo.value.problems] == [
        "measurements.xlsx, row 5, column 'actual': 'n/a' is not a number"]
    good = validate_measurements(table.loc[[2, 3]], "measurements.xlsx", {"Revenue"})
    assert good["period"].tolist() == ["2025-01", "2025-02"]
    assert good["segment"].tolist() == ["All", "SME"]
    # sniffed by content even without the extension
    renamed = tmp_path / "upload.bin"
    renamed.write_bytes(path.read_bytes())
    assert read_table(renamed).shape == table.shape


def test_unreadable_files(tmp_path):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(ImportValidationError, match="Excel"):
        read_table(broken)
    latin = tmp_path / "latin.csv"
    latin.write_bytes("kpi,period,actual\nCaf\xe9,2025-01,1\n".encode("latin-1"))
    with pytest.raises(ImportValidationError, match="UTF-8"):
        read_table(latin)


def test_templates_pass_validation():
    kpis = validate_kpis(kpis_template(), "KPIS.csv")
    assert set(kpis["aggregation"]) <= {"sum", "mean", "last", "ratio"}
    measurements = validate_measurements(measurements_template(), "MEASUREMENTS.csv", set(kpis["kpi"]))
    assert len(measurements) == len(measurements_template())
    round_trip = read_table(io.BytesIO(kpis_template().to_csv(index=False).encode()), "KPIS.csv")
    assert validate_kpis(round_trip, "KPIS.csv").equals(kpis)


def test_many_problems_are_summarised():
    frame = pd.DataFrame({"kpi": ["a"] * 40, "period": ["bad"] * 40, "actual": [1] * 40})
    with pytest.raises(ImportValidationError) as excinfo:
        validate_measurements(frame, "m.csv", {"a"})
    assert len(excinfo.value.problems) == 40
    assert "… and 15 more" in str(excinfo.value)
