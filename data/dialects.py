"""The SQL that differs between databases, in one place: month keys of a date column.

The CRM metrics (:mod:`data.metrics`) are plain SQLAlchemy Core; the only dialect-specific
pieces are these two functions, compiled for SQLite, PostgreSQL, DuckDB and MySQL, with an
ANSI-style default (``date_trunc``/``to_char``, as in Trino, Spark SQL, Snowflake, Redshift)
for any other dialect a warehouse offers.
"""

from __future__ import annotations

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import Date, String


class month_of(FunctionElement):  # noqa: N801 - reads as a SQL function
    """The first day of a date's month, the cheap key to group a fact table by month."""

    type = Date()
    inherit_cache = True


class year_month(FunctionElement):  # noqa: N801 - reads as a SQL function
    """``YYYY-MM`` text of a date column, compiled for each dialect."""

    type = String()
    inherit_cache = True


def _argument(element, compiler, **kw) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(month_of, "sqlite")
def _month_of_sqlite(element, compiler, **kw):
    # SQLAlchemy stores SQLite dates as ISO text: the month is the first seven characters,
    # several times cheaper than date(…, 'start of month'), and an index can hold the expression.
    return f"(substr({_argument(element, compiler, **kw)}, 1, 7) || '-01')"


@compiles(month_of, "postgresql")
def _month_of_postgresql(element, compiler, **kw):
    # date_trunc of a date would go through timestamptz (time-zone work on every row)
    return f"CAST(date_trunc('month', CAST({_argument(element, compiler, **kw)} AS TIMESTAMP)) AS DATE)"


@compiles(month_of, "mysql")
@compiles(month_of, "mariadb")
def _month_of_mysql(element, compiler, **kw):
    return f"CAST(DATE_FORMAT({_argument(element, compiler, **kw)}, '%%Y-%%m-01') AS DATE)"


@compiles(month_of)
def _month_of_default(element, compiler, **kw):
    return f"CAST(date_trunc('month', {_argument(element, compiler, **kw)}) AS DATE)"


@compiles(year_month, "sqlite")
def _year_month_sqlite(element, compiler, **kw):
    return f"substr({_argument(element, compiler, **kw)}, 1, 7)"


@compiles(year_month, "duckdb")
def _year_month_duckdb(element, compiler, **kw):
    return f"strftime({_argument(element, compiler, **kw)}, '%Y-%m')"


@compiles(year_month, "mysql")
@compiles(year_month, "mariadb")
def _year_month_mysql(element, compiler, **kw):
    return f"DATE_FORMAT({_argument(element, compiler, **kw)}, '%%Y-%%m')"


@compiles(year_month)
def _year_month_default(element, compiler, **kw):
    return f"to_char({_argument(element, compiler, **kw)}, 'YYYY-MM')"


__all__ = ["month_of", "year_month"]
