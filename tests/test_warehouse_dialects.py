"""The warehouses the README names but no test can run here (Trino, Redshift): every metric compiled
with the warehouse's own SQLAlchemy dialect package, then parsed by sqlglot's dialect for that engine
(syntax-checked, not executed). Their month keys are checked against each engine's documented
functions, and sqlglot's reading of each statement, translated to DuckDB and run on a DuckDB source,
must give DuckDB's own numbers (so the month keys mean the same month there too).

Snowflake is not among them: snowflake-sqlalchemy needs snowflake-connector-python, which requires
protobuf < 7 and would downgrade the protobuf the app's Streamlit runs on; so the README no longer
names it.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
import sqlglot
from sqlalchemy import Select
from sqlalchemy_redshift.dialect import RedshiftDialect_psycopg2
from sqlglot.errors import ErrorLevel
from trino.sqlalchemy.dialect import TrinoDialect

from data.demo.generator import generate_crm
from data.metrics import METRICS, metric_rows, month_start
from data.source import source_engine, write_source

DIALECTS = {
    # engine name in sqlglot → (SQLAlchemy dialect, the month key as that engine's documentation spells it)
    # Trino: date_format(timestamp, format) with MySQL-style specifiers, date_trunc(unit, x)
    # (trino.io/docs/current/functions/datetime.html); to_char is only in the optional Teradata plugin.
    "trino": (TrinoDialect(), ("date_format(", "'%Y-%m')", "date_trunc('month',")),
    # Redshift: TO_CHAR(timestamp, 'YYYY-MM') and DATE_TRUNC('month', x)
    # (docs.aws.amazon.com/redshift/latest/dg/r_TO_CHAR.html, r_DATE_TRUNC.html).
    "redshift": (RedshiftDialect_psycopg2(), ("to_char(", "'YYYY-MM')", "date_trunc('month',")),
}
SINCE = (None, month_start("2025-07"))


def _compiled(query: Select, dialect, literal: bool = False) -> str:
    return str(query.compile(dialect=dialect, compile_kwargs={"literal_binds": literal}))


@pytest.mark.parametrize("engine", sorted(DIALECTS))
def test_every_metric_compiles_with_the_warehouse_dialect_and_parses_in_sqlglot(engine):
    dialect, (function, text_format, month_start_key) = DIALECTS[engine]
    for code, metric in METRICS.items():
        for since in SINCE:
            sql = _compiled(metric.query(since), dialect)
            assert re.search(rf"{re.escape(function)}anon_\d+\.month, {re.escape(text_format)}", sql), (engine, code)
            assert month_start_key in sql or not metric.by_segment, (engine, code)  # employees: months stored
            assert "to_char(" not in sql or engine != "trino", code
            parsed = sqlglot.parse(sql, read=engine, error_level=ErrorLevel.RAISE)
            assert len(parsed) == 1 and parsed[0] is not None, (engine, code)
            # written back for the same engine: nothing sqlglot knows that engine lacks
            sqlglot.transpile(sql, read=engine, write=engine, unsupported_level=ErrorLevel.RAISE)


@pytest.fixture(scope="module")
def duck(tmp_path_factory):
    engine = source_engine(f"duckdb:///{tmp_path_factory.mktemp('duck') / 'crm.duckdb'}")
    write_source(engine, generate_crm(seed=5, customers=1_000, n_months=14))
    yield engine
    engine.dispose()


@pytest.mark.parametrize("engine", sorted(DIALECTS))
def test_each_warehouse_statement_read_by_sqlglot_gives_duckdbs_numbers(engine, duck):
    dialect, _ = DIALECTS[engine]
    with duck.connect() as connection:
        native = connection.connection.driver_connection
        for code, metric in METRICS.items():
            for since in SINCE:
                sql = sqlglot.transpile(_compiled(metric.query(since), dialect, literal=True), read=engine,
                                        write="duckdb")[0]
                got = pd.DataFrame(native.execute(sql).fetchall(), columns=["segment", "period", "n", "d"])
                want = pd.DataFrame([row[1:] for row in metric_rows(connection, code, since and str(since)[:7])],
                                    columns=["segment", "period", "n", "d"])
                got, want = (frame.sort_values(["segment", "period"], ignore_index=True) for frame in (got, want))
                pd.testing.assert_frame_equal(got[["segment", "period"]], want[["segment", "period"]])
                np.testing.assert_allclose(got[["n", "d"]].to_numpy(float), want[["n", "d"]].to_numpy(float),
                                           rtol=1e-12, err_msg=f"{engine} {code}")
