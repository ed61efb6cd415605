"""Command line: ``python -m scorecard import|report|demo|refresh|unlock|reset-password|create-admin|load-demo``
(see ../shared/API.md and the README).

This entry point only wires the data layer and the services to the domain, as app.py does; it holds no logic.
A database named with ``--db`` (or the app's default) is created and migrated when missing,
but only the app fills an empty database with the demo.
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys

from sqlalchemy.exc import SQLAlchemyError

from data import accounts
from data.bootstrap import load_demo, prepare_database
from data.db import DatabaseUnavailable, database_url
from data.demo.generator import DEMO_CUSTOMERS, N_MONTHS, SEED, write_demo_source
from data.imports import kpi_names, save_import, segment_names
from data.refresh import RefreshFailed, refresh
from data.source import source_engine, source_url
from data.writes import SYSTEM_USER, PermissionDenied
from scorecard import TerminalProgress
from scorecard.io import ImportValidationError, read_table, report_csv, validate_kpis, validate_measurements

REPORT_COLUMNS = ["level", "perspective", "objective", "name", "actual", "target", "status", "score"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m scorecard", description="CRM balanced scorecard")
    commands = parser.add_subparsers(dest="command", required=True)
    imp = commands.add_parser("import", help="import KPI definitions and measurements (all or nothing)")
    imp.add_argument("--kpis", help="KPIS.csv (or .xlsx)")
    imp.add_argument("--measurements", help="MEASUREMENTS.csv (or .xlsx)")
    imp.add_argument("--user", default=SYSTEM_USER, help="acting user recorded in the audit log")
    rep = commands.add_parser("report", help="print the scored scorecard for a period")
    rep.add_argument("--period", required=True, help="YYYY-MM")
    rep.add_argument("--segment", default="All")
    rep.add_argument("--format", choices=["csv", "json"], default="csv")
    for command in (imp, rep):
        command.add_argument("--db", default=None, help="database URL (default: the app's database)")
    demo = commands.add_parser("demo", help="write a synthetic CRM source of any size (deterministic for a seed)")
    demo.add_argument("--customers", type=int, default=DEMO_CUSTOMERS, required=True)
    demo.add_argument("--months", type=int, default=N_MONTHS)
    demo.add_argument("--seed", type=int, default=SEED)
    demo.add_argument("--source", required=True, help="database URL of the CRM source to (re)write")
    ref = commands.add_parser("refresh", help="compute every SQL-sourced KPI in the CRM source and store the actuals")
    ref.add_argument("--source", default=None, help="CRM source URL (default: CRM_SOURCE_URL, else --db)")
    ref.add_argument("--db", default=None, help="the app's database URL (default: the app's database)")
    ref.add_argument("--since", default=None, help="YYYY-MM: recompute only that month and later")
    ref.add_argument("--user", default=SYSTEM_USER, help="acting user recorded in the audit log")
    for name, text in (("unlock", "unlock an account now (the host operator's recovery path)"),
                       ("reset-password", "set a new password for an account (also unlocks it)")):
        account = commands.add_parser(name, help=text)
        account.add_argument("user", help="the account's user name")
        account.add_argument("--db", default=None, help="the app's database URL (default: the app's database)")
    admin = commands.add_parser("create-admin", help="create the first administrator (or another one)")
    admin.add_argument("user", help="the administrator's user name")
    admin.add_argument("--name", default="Administrator", help="display name")
    admin.add_argument("--db", default=None, help="the app's database URL (default: the app's database)")
    for name in ("reset-password", "create-admin"):
        commands.choices[name].add_argument(
            "--password-stdin", action="store_true", help="read the password from standard input instead of "
                                                          "generating a one-time password")
    load = commands.add_parser("load-demo", help="fill an empty database with the demo scorecard and CRM data")
    load.add_argument("--db", default=None, help="the app's database URL (default: the app's database)")
    return parser


def _new_password(args: argparse.Namespace) -> str:
    return sys.stdin.readline().rstrip("\n") if args.password_stdin else secrets.token_urlsafe(16)


def run_unlock(args: argparse.Namespace) -> int:
    accounts.unlock(prepare_database(args.db or database_url(), seed_demo=False), SYSTEM_USER, args.user)
    print(f"unlocked {args.user}")
    return 0


def run_reset_password(args: argparse.Namespace) -> int:
    password = _new_password(args)
    accounts.set_password(prepare_database(args.db or database_url(), seed_demo=False), SYSTEM_USER, args.user,
                          password)
    print(f"new password set for {args.user}" if args.password_stdin
          else f"one-time password for {args.user}: {password} (shown only now: sign in and change it)")
    return 0


def run_create_admin(args: argparse.Namespace) -> int:
    password = _new_password(args)
    accounts.create_admin(prepare_database(args.db or database_url(), seed_demo=False), args.user, password,
                          args.name)
    print(f"administrator {args.user} created" if args.password_stdin
          else f"administrator {args.user} created with the one-time password {password} (shown only now: "
               f"sign in and change it)")
    return 0


def run_load_demo(args: argparse.Namespace) -> int:
    engine = load_demo(args.db or database_url())
    print(f"demo loaded into {engine.url.render_as_string(hide_password=True)}; demo accounts sign in only "
          f"with CRM_DEMO_MODE=1")
    return 0


def run_demo(args: argparse.Namespace) -> int:
    engine = source_engine(args.source)
    with TerminalProgress("demo", unit="rows", unit_scale=True) as progress:
        summary = write_demo_source(engine, args.customers, args.months, args.seed, progress)
    print(f"demo: {summary.rows} rows ({args.customers} customers, {args.months} months, seed {args.seed}) "
          f"written to {engine.url.render_as_string(hide_password=True)} in {summary.seconds:.1f} s")
    return 0


def run_import(args: argparse.Namespace) -> int:
    if not args.kpis and not args.measurements:
        print("error: give --kpis, --measurements or both", file=sys.stderr)
        return 2
    engine = prepare_database(args.db or database_url(), seed_demo=False)
    segments = segment_names(engine)
    kpis = validate_kpis(read_table(args.kpis, args.kpis), args.kpis, segments) if args.kpis else None
    known = kpi_names(engine) | (set(kpis["kpi"]) if kpis is not None else set())
    measurements = (validate_measurements(read_table(args.measurements, args.measurements), args.measurements, known,
                                          segments) if args.measurements else None)
    summary = save_import(engine, args.user, kpis, measurements)
    print(f"imported {summary.kpis} KPIs, {summary.targets} targets, {summary.measurements} measurements")
    return 0


def run_report(args: argparse.Namespace) -> int:
    from services import report_of  # the domain's heavier imports only for this command

    engine = prepare_database(args.db or database_url(), seed_demo=False)
    report = report_of(engine, args.period, args.segment)[REPORT_COLUMNS]
    if args.format == "json":
        print(json.dumps(json.loads(report.to_json(orient="records")), indent=1, ensure_ascii=False))
    else:
        sys.stdout.write(report_csv(report).decode("utf-8"))
    return 0


def run_refresh(args: argparse.Namespace) -> int:
    engine = prepare_database(args.db or database_url(), seed_demo=False)
    source = source_engine(args.source or source_url(default=args.db or database_url()))
    with TerminalProgress("refresh", unit="KPI") as progress:
        summary = refresh(engine, source, since=args.since, username=args.user, progress=progress)
    months = f"from {summary.since}" if summary.since else "all months"
    print(f"refresh: {summary.rows} measurements of {summary.kpis} KPIs ({months}) computed in "
          f"{source.url.render_as_string(hide_password=True)} in {summary.seconds:.2f} s")
    return 0


COMMANDS = {"import": run_import, "report": run_report, "demo": run_demo, "refresh": run_refresh,
            "unlock": run_unlock, "reset-password": run_reset_password, "create-admin": run_create_admin,
            "load-demo": run_load_demo}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except (ImportValidationError, DatabaseUnavailable, RefreshFailed, PermissionDenied, ValueError, OSError,
            SQLAlchemyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
