"""The SQL that differs between databases, in one place: month keys of a date column.

The CRM metrics (:mod:`data.metrics`) are plain SQLAlchemy Core; the only dialect-specific
pieces are these two functions, spelled below for SQLite, PostgreSQL, DuckDB, MySQL and Trino,
with an ANSI-style default (``date_trunc``/``to_char``, as in PostgreSQL and Redshift) for any
other dialect a warehouse offers; the Spark source (:mod:`data.spark_source`) compiles the default
and sqlglot rewrites it in Spark SQL. A new spelling is one more entry in a table.
"""

from __future__ import annotations

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import Date, String

DEFAULT = "default"

MONTH_OF = {
    # SQLAlchemy stores SQLite dates as ISO text: the month is the first seven characters,
    # several times cheaper than date(…, 'start of month'), and an index can hold the expression.
    "sqlite": "(substr({0}, 1, 7) || '-01')",
    # date_trunc of a date would go through timestamptz: time-zone work on every row
    "postgresql": "CAST(date_trunc('month', CAST({0} AS TIMESTAMP)) AS DATE)",
    "mysql": "CAST(DATE_FORMAT({0}, '%%Y-%%m-01') AS DATE)",
    "mariadb": "CAST(DATE_FORMAT({0}, '%%Y-%%m-01') AS DATE)",
    DEFAULT: "CAST(date_trunc('month', {0}) AS DATE)",
}
"""The first day of a date's month, per dialect (``{0}`` is the date)."""

YEAR_MONTH = {
    "sqlite": "substr({0}, 1, 7)",
    "duckdb": "strftime({0}, '%Y-%m')",
    "mysql": "DATE_FORMAT({0}, '%%Y-%%m')",
    "mariadb": "DATE_FORMAT({0}, '%%Y-%%m')",
    # Trino has no to_char outside its optional Teradata plugin; its date_format takes MySQL-style specifiers
    "trino": "date_format({0}, '%Y-%m')",
    DEFAULT: "to_char({0}, 'YYYY-MM')",
}
"""``YYYY-MM`` text of a date, per dialect."""


class month_of(FunctionElement):  # noqa: N801 - reads as a SQL function
    """The first day of a date's month, the cheap key to group a fact table by month."""

    type = Date()
    inherit_cache = True


class year_month(FunctionElement):  # noqa: N801 - reads as a SQL function
    """``YYYY-MM`` text of a date column, compiled for each dialect."""

    type = String()
    inherit_cache = True


def _spelled(templates: dict[str, str]):
    def compile_for_dialect(element, compiler, **kw) -> str:
        template = templates.get(compiler.dialect.name, templates[DEFAULT])
        return template.format(compiler.process(element.clauses, **kw))

    return compile_for_dialect


compiles(month_of)(_spelled(MONTH_OF))
compiles(year_month)(_spelled(YEAR_MONTH))

__all__ = ["MONTH_OF", "YEAR_MONTH", "month_of", "year_month"]
