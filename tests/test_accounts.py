"""Local accounts on SQLite and PostgreSQL: argon2 hashes, sign-in, lockout, user admin, first start, OIDC
mapping; and no password or hash in the audit log, the exports, the log or a page."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta, timezone

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from data import accounts, repository, sessions
from data.accounts import WRONG, SignInRefused
from data.demo.catalog import DEMO_PASSWORD, DEMO_SEGMENTS, DEMO_USERS
from data.bootstrap import prepare_database
from data.db import make_engine
from data.models import User, UserSession
from data.projects import portfolio
from data.writes import PermissionDenied
from scorecard.io.export import briefing_html, report_csv, report_excel, table_csv
from scorecard.view import scorecard_report
from tests.apptest import ok, start
from tests.conftest import new_database_url
from ui.core.auth import has_auth_section

PASSWORD = "correct horse battery"
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request, tmp_path):
    """A fresh database with the demo users (demo passwords) and one local user, ana (executive)."""
    engine = prepare_database(new_database_url(request, tmp_path), seed_demo=False)
    repository.create_scorecard(engine, DEMO_SEGMENTS, [], [], DEMO_USERS)
    accounts.prepare_accounts(engine, demo_mode=True)
    accounts.create_user(engine, "admin", username="ana", display_name="Ana Rostami", role="executive",
                         password=PASSWORD, email="Ana@Example.com")
    yield engine
    engine.dispose()


def _stored(engine, username: str) -> User:
    with Session(engine) as session:
        return session.scalar(select(User).where(User.username == username))


def _session_rows(engine) -> list[tuple]:
    with Session(engine) as session:
        return [(r.username, r.handover_hash, r.token_hash) for r in session.scalars(select(UserSession))]


def _failures(engine, username: str) -> int:
    """Failed sign-ins of ``username`` as the Users screen counts them (from the stored attempts)."""
    return next(a["failed_attempts"] for a in accounts.accounts(engine) if a["username"] == username)


def _refusal(engine, username: str, password: str, **options) -> SignInRefused:
    with pytest.raises(SignInRefused) as refused:
        accounts.authenticate(engine, username, password, demo_mode=options.pop("demo_mode", True), **options)
    return refused.value


def test_the_password_is_stored_as_an_argon2_hash_and_audited_hidden(engine):
    stored = _stored(engine, "ana")
    assert stored.password_hash.startswith("$argon2id$") and PASSWORD not in stored.password_hash
    created = repository.audit_log(engine).iloc[0]
    assert (created["action"], created["new"]["password_hash"], created["new"]["email"]) == (
        "create", "(hidden)", "ana@example.com")


def test_hashes_use_owasps_argon2id_minimum_and_older_ones_are_redone_at_the_next_sign_in(engine):
    assert _stored(engine, "ana").password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")  # OWASP: 19 MiB, t=2, p=1
    old = PasswordHasher().hash(PASSWORD)  # argon2-cffi's defaults, as hashes were stored before
    assert old.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    with Session(engine) as session, session.begin():
        session.execute(update(User).where(User.username == "ana").values(password_hash=old))
    accounts.authenticate(engine, "ana", PASSWORD, demo_mode=False)
    redone = _stored(engine, "ana").password_hash
    assert redone.startswith("$argon2id$v=19$m=19456,t=2,p=1$") and PasswordHasher().verify(redone, PASSWORD)
    assert accounts.authenticate(engine, "ana", PASSWORD, demo_mode=False).username == "ana"
    assert _stored(engine, "ana").password_hash == redone  # a current hash is kept


def test_sign_in_with_the_right_password_only(engine):
    account = accounts.authenticate(engine, "ana", PASSWORD, demo_mode=False)
    assert (account.username, account.display_name, account.role) == ("ana", "Ana Rostami", "executive")
    assert _refusal(engine, "ana", "wrong password").template == WRONG
    assert _refusal(engine, "nobody", PASSWORD).template == WRONG        # an unknown name says no more


def test_lockout_after_five_failures_for_fifteen_minutes(engine):
    for attempt in range(1, 6):
        assert _refusal(engine, "ana", f"guess {attempt}", now=NOW).template == WRONG
    locked = _refusal(engine, "ana", PASSWORD, now=NOW + timedelta(minutes=1))  # the right password, but locked
    assert locked.template == WRONG and locked.values == {"attempts": 5, "minutes": "15"}
    assert _refusal(engine, "ana", PASSWORD, now=NOW + timedelta(minutes=14)).template == WRONG
    assert accounts.authenticate(engine, "ana", PASSWORD, demo_mode=False, now=NOW + timedelta(minutes=16))
    assert _failures(engine, "ana") == 0


def test_the_limit_is_configurable_and_an_admin_unlocks(engine, monkeypatch):
    monkeypatch.setenv("CRM_LOCKOUT_ATTEMPTS", "2")
    monkeypatch.setenv("CRM_LOCKOUT_MINUTES", "60")
    _refusal(engine, "ana", "one", now=NOW)
    _refusal(engine, "ana", "two", now=NOW)
    assert _refusal(engine, "ana", PASSWORD, now=NOW + timedelta(minutes=59)).template == WRONG
    accounts.unlock(engine, "admin", "ana")
    assert accounts.authenticate(engine, "ana", PASSWORD, demo_mode=False, now=NOW + timedelta(minutes=59))


def test_failed_attempts_are_audited_without_the_password(engine):
    _refusal(engine, "ana", "my secret guess", now=NOW)
    _refusal(engine, "nobody", "another secret", now=NOW)
    log = repository.audit_log(engine)
    failed = log[log["action"] == "sign-in failed"]
    assert set(failed["username"]) == {"ana", "nobody"}
    assert failed[failed["username"] == "ana"].iloc[0]["new"]["attempt"] == 1
    text = log.to_json(default_handler=str, date_format="iso")
    assert "secret" not in text and "$argon2" not in text


def test_an_admin_resets_passwords_and_sets_roles(engine):
    accounts.set_password(engine, "admin", "ana", "a new long password")
    assert _refusal(engine, "ana", PASSWORD).template == WRONG
    assert accounts.authenticate(engine, "ana", "a new long password", demo_mode=False)
    with pytest.raises(ValueError, match="at least 12 characters"):
        accounts.set_password(engine, "admin", "ana", "short")
    accounts.set_role(engine, "admin", "ana", "strategy")
    assert accounts.authenticate(engine, "ana", "a new long password", demo_mode=False).role == "strategy"
    with pytest.raises(ValueError, match="Unknown role 'boss'"):
        accounts.set_role(engine, "admin", "ana", "boss")
    with pytest.raises(ValueError, match="only administrator"):
        accounts.set_role(engine, "admin", "admin", "viewer")
    with pytest.raises(ValueError, match="already a user named 'ana'"):
        accounts.create_user(engine, "admin", username="ana", display_name="Again", role="viewer")
    with pytest.raises(PermissionDenied, match="Ana Rostami .role: CRM strategy team. may not manage users"):
        accounts.set_password(engine, "ana", "sara", "taken over by ana!")


def test_demo_accounts_sign_in_only_in_demo_mode(engine):
    assert accounts.authenticate(engine, "sara", DEMO_PASSWORD, demo_mode=True).role == "strategy"
    assert _refusal(engine, "sara", DEMO_PASSWORD, demo_mode=False).template == WRONG


def test_the_language_choice_is_kept_on_the_user(engine):
    accounts.set_language(engine, "ana", "fa")
    assert accounts.authenticate(engine, "ana", PASSWORD, demo_mode=False).language == "fa"
    with pytest.raises(ValueError, match="Unknown language"):
        accounts.set_language(engine, "ana", "de")


def test_first_start_outside_demo_mode_has_no_default_password(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("CRM_DEMO_MODE", "0")
    monkeypatch.delenv("CRM_ADMIN_PASSWORD", raising=False)
    with caplog.at_level(logging.WARNING, logger="data.accounts"):
        engine = prepare_database(f"sqlite:///{tmp_path / 'first.db'}")    # the app's own first start
    assert "create-admin" in caplog.text and accounts.accounts(engine) == []
    assert not accounts.has_administrator(engine, demo_mode=False)
    accounts.create_admin(engine, "olga", "the operator's own phrase")
    assert accounts.authenticate(engine, "olga", "the operator's own phrase", demo_mode=False).role == "admin"
    with pytest.raises(ValueError, match="already a user named 'olga'"):
        accounts.create_admin(engine, "olga", "another long phrase here")
    with pytest.raises(ValueError, match="at least 12 characters"):
        accounts.create_admin(engine, "pat", "short")


def test_first_start_takes_the_admin_password_from_the_environment(sqlite_url, sqlite_engine, tmp_path, monkeypatch,
                                                                    caplog):
    import sqlite3

    copy = tmp_path / "demo-copy.db"
    with sqlite3.connect(sqlite_url.removeprefix("sqlite:///")) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    monkeypatch.setenv("CRM_DEMO_MODE", "0")
    monkeypatch.setenv("CRM_ADMIN_PASSWORD", "from the environment")
    with caplog.at_level(logging.INFO):
        engine = prepare_database(f"sqlite:///{copy}")                    # the app's start on a demo database
    assert accounts.authenticate(engine, "admin", "from the environment", demo_mode=False).role == "admin"
    assert _refusal(engine, "admin", DEMO_PASSWORD, demo_mode=False).template == WRONG
    assert _refusal(engine, "sara", DEMO_PASSWORD, demo_mode=False).template == WRONG
    assert "from the environment" not in caplog.text


def test_oidc_maps_known_e_mail_addresses_only(engine):
    assert accounts.account_for_email(engine, " ana@EXAMPLE.com ").username == "ana"
    with pytest.raises(SignInRefused, match="eve@example.com is not a user of this dashboard"):
        accounts.account_for_email(engine, "eve@example.com")
    assert has_auth_section({"auth": {"redirect_uri": "http://localhost:8501/oauth2callback"}})
    assert not has_auth_section({"DATABASE_URL": "sqlite://"}) and not has_auth_section({})


def test_no_password_or_hash_in_the_audit_log_or_the_exports(own_url):
    sqlite_engine = make_engine(own_url)
    accounts.create_user(sqlite_engine, "admin", username="export_check", display_name="Export check", role="viewer",
                         password=PASSWORD)
    accounts.set_password(sqlite_engine, "admin", "export_check", PASSWORD + "!")
    report = scorecard_report(repository.scorecard_definition(sqlite_engine), repository.measurements(sqlite_engine),
                              repository.targets(sqlite_engine), "2026-10", "All")
    projects = portfolio(sqlite_engine).assign(next_tollgate="—")
    outputs = [repository.audit_log(sqlite_engine, limit=100_000).to_json(default_handler=str, date_format="iso"),
               json.dumps(accounts.accounts(sqlite_engine), default=str), repository.users(sqlite_engine).to_csv(),
               report_csv(report).decode(), briefing_html("Briefing", "All", report, [], projects=projects),
               table_csv(repository.users(sqlite_engine)).decode()]
    excel = report_excel(report)
    for text in outputs:
        assert PASSWORD not in text and "$argon2" not in text
    assert b"$argon2" not in excel


def test_the_users_page_shows_no_hash(sqlite_url, sqlite_engine, monkeypatch):
    at = start(sqlite_url, "screens/users.py", monkeypatch)
    table = at.dataframe[0].value
    assert {"sara", "admin"} <= set(table["username"]) and "password_hash" not in table.columns
    page = "\n".join(str(e.value) for e in (*at.markdown, *at.caption, *at.text)) + table.to_csv()
    assert "$argon2" not in page
    ok(at)


def test_migration_0003_splits_the_belt_role_and_marks_the_demo_users(tmp_path):
    from alembic import command

    from data.db import _alembic_config, make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    command.upgrade(_alembic_config(engine), "0002")
    with engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO user_account (username, display_name, role) VALUES "
                                   "('reza', 'Reza Karimi (Black Belt)', 'belt'), "
                                   "('leila', 'Leila Moradi (Green Belt)', 'belt'), ('zed', 'Zed', 'belt')")
    command.upgrade(_alembic_config(engine), "head")
    with engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT username, role, demo FROM user_account ORDER BY id").all()
    assert [tuple(row) for row in rows] == [("reza", "black_belt", 1), ("leila", "green_belt", 1), ("zed", "black_belt", 0)]


@pytest.mark.parametrize("password,reason", [
    ("12345678", "at least 12 characters"), ("aaaaaaaa", "at least 12 characters"),
    ("        ", "at least 12 characters"), ("aaaaaaaaaaaa", "too common or too easy"),
    ("password1234", "too common or too easy"), ("123456789012", "too common or too easy"),
    ("qwertyuiopas", "too common or too easy"), ("            ", "too common or too easy"),
])
def test_short_common_and_patterned_passwords_are_refused(engine, password, reason):
    # NIST SP 800-63B 5.1.1.2: a minimum length and a check against common/breached passwords,
    # repeats and sequences; no composition rules (a passphrase of plain words is fine).
    with pytest.raises(ValueError, match=reason):
        accounts.set_password(engine, "admin", "ana", password)
    accounts.set_password(engine, "admin", "ana", "plain words make it long")


def test_wrong_unknown_and_locked_read_alike_and_each_checks_one_password(engine, monkeypatch):
    for attempt in range(5):
        _refusal(engine, "ana", f"guess {attempt}", now=NOW)
    checks = []
    real_verify = accounts._verify  # the one argon2 check
    monkeypatch.setattr(accounts, "_verify", lambda stored, password: checks.append(1) or real_verify(stored, password))
    refusals = {case: _refusal(engine, name, password, now=NOW + timedelta(minutes=1)) for case, (name, password) in {
        "wrong": ("sara", "not sara's password"), "unknown": ("nobody", PASSWORD), "locked": ("ana", PASSWORD)}.items()}
    assert {(r.template, tuple(sorted(r.values.items()))) for r in refusals.values()} == {
        (WRONG, (("attempts", 5), ("minutes", "15")))}
    assert len(checks) == 3  # one argon2 check each: a locked account answers no faster than a wrong password


def test_a_session_code_is_traded_once_for_a_token_that_signs_in_until_it_expires(engine):
    handover = sessions.start(engine, "ana", now=NOW)
    assert sessions.claim(engine, handover.code, now=NOW + timedelta(seconds=61)) is None  # a code is good for 60 s
    handover = sessions.start(engine, "ana", now=NOW)
    token = sessions.claim(engine, handover.code, now=NOW + timedelta(seconds=30))
    assert token and sessions.claim(engine, handover.code, now=NOW + timedelta(seconds=31)) is None  # once only
    assert sessions.open_session(engine, token, now=NOW + timedelta(hours=11, minutes=59)) == (handover.session_id, "ana")
    assert sessions.open_session(engine, token, now=NOW + timedelta(hours=12)) is None       # 12 h by default
    assert sessions.open_session(engine, "forged", now=NOW) is None
    stored = _session_rows(engine)
    assert token not in str(stored) and handover.code not in str(stored)  # only SHA-256 hashes are kept


def test_sign_out_a_password_reset_and_a_role_change_end_sessions(engine):
    def open_token(username: str) -> str:
        return sessions.claim(engine, sessions.start(engine, username).code)

    mine, other = open_token("ana"), open_token("ana")
    sessions.end(engine, token=mine)
    assert accounts.account_for_session(engine, mine, demo_mode=False) is None
    assert accounts.account_for_session(engine, other, demo_mode=False)[1].username == "ana"
    accounts.set_password(engine, "admin", "ana", "another long passphrase")
    assert accounts.account_for_session(engine, other, demo_mode=False) is None
    changed = open_token("ana")
    accounts.set_role(engine, "admin", "ana", "viewer")
    assert accounts.account_for_session(engine, changed, demo_mode=False) is None


def test_a_demo_accounts_session_does_not_sign_in_outside_demo_mode(engine):
    token = sessions.claim(engine, sessions.start(engine, "sara").code)
    assert accounts.account_for_session(engine, token, demo_mode=True)[1].username == "sara"
    assert accounts.account_for_session(engine, token, demo_mode=False) is None
