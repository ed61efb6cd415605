"""First-run setup of the app's database: create, migrate, seed the demo on an empty one, prepare accounts.

The one module that wires the engine (:mod:`data.db`), the demo (:mod:`data.demo`) and the accounts
together, so that none of them imports another to start up.
"""

from __future__ import annotations

import logging

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from data.accounts import prepare_accounts
from data.db import DatabaseUnavailable, database_url, demo_mode, describe, is_seeded, make_engine, migrate
from data.demo.generator import seed_demo as seed
from errors import DomainError

log = logging.getLogger(__name__)


def prepare_database(url: str | None = None, *, seed_demo: bool = True) -> Engine:
    """Create, migrate and (on an empty database) seed; return the ready engine.

    With ``seed_demo`` (the app's first start) the accounts are prepared too: demo passwords in
    demo mode, otherwise a first administrator (see :func:`data.accounts.prepare_accounts`). The
    demo fills an empty database only in demo mode: production starts with an empty scorecard.
    """
    url = url or database_url()
    engine = make_engine(url)
    try:
        migrate(engine)
        if seed_demo and demo_mode(url) and not is_seeded(engine):
            log.info("Empty database: generating the demo CRM data and scorecard")
            seed(engine)
        if seed_demo:
            prepare_accounts(engine, demo_mode=demo_mode(url))
    except DatabaseUnavailable:
        raise
    except (OperationalError, SQLAlchemyError, OSError) as exc:
        message = describe(exc, url)
        log.error("%s", message)
        raise DatabaseUnavailable.from_message(message) from exc
    return engine


def load_demo(url: str | None = None) -> Engine:
    """Load the demo on purpose (``python -m scorecard load-demo``): only into a database without a scorecard.

    Demo accounts sign in only while the app runs in demo mode (``CRM_DEMO_MODE=1``); a user who
    already exists (say the administrator from ``create-admin``) keeps their account.
    """
    engine = prepare_database(url, seed_demo=False)
    if is_seeded(engine):
        raise DomainError("This database already has a scorecard; the demo loads only into an empty one.")
    seed(engine)
    return engine
