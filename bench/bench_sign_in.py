"""Benchmark: the cost of signing in (argon2) and of the write path's permission check and refusal audit.

Run: python bench/bench_sign_in.py   (record the output in bench/RESULTS.md with the machine)
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.timing import best_of, machine  # noqa: E402
from data import accounts, discussion, repository  # noqa: E402
from data.accounts import SignInRefused  # noqa: E402
from data.demo.catalog import DEMO_SEGMENTS, DEMO_USERS  # noqa: E402
from data.bootstrap import prepare_database  # noqa: E402
from data.writes import PermissionDenied  # noqa: E402

PASSWORD = "a long benchmark password"
DEFINITION = [{"name": "Customer", "name_fa": None, "weight": 1.0, "objectives": [
    {"name": "Delight", "name_fa": None, "kpis": [
        {"name": "NPS", "name_fa": None, "unit": "", "direction": "higher", "aggregation": "mean", "owner": "",
         "weight": 1.0}]}]}]


def _refused(call) -> None:
    try:
        call()
    except (SignInRefused, PermissionDenied):
        return
    raise AssertionError("expected a refusal")


def main() -> None:
    print(machine())
    with tempfile.TemporaryDirectory() as folder:
        engine = prepare_database(f"sqlite:///{folder}/bench.db", seed_demo=False)
        repository.create_scorecard(engine, DEMO_SEGMENTS, DEFINITION, [], DEMO_USERS)
        accounts.create_user(engine, "admin", username="bench", display_name="Bench", role="strategy",
                             password=PASSWORD)
        kpi = int(repository.scorecard_definition(engine)["kpi_id"].iloc[0])
        timings = {
            "argon2 hash of a password": lambda: accounts.hash_password(PASSWORD),
            "sign-in, right password (verify, reset, audit)": lambda: accounts.authenticate(
                engine, "bench", PASSWORD, demo_mode=False),
            "sign-in, unknown user (dummy verify, audit)": lambda: _refused(lambda: accounts.authenticate(
                engine, "nobody", PASSWORD, demo_mode=False)),
            "allowed write: add a comment (check, transaction, audit)": lambda: discussion.add_comment(
                engine, "bench", kpi, "2026-10", "Seen."),
            "refused write: a viewer's comment (check, refusal audited)": lambda: _refused(
                lambda: discussion.add_comment(engine, "guest", kpi, "2026-10", "Seen.")),
        }
        for name, call in timings.items():
            print(f"{name}: best of 7 {best_of(call) * 1000:.1f} ms")
        engine.dispose()


if __name__ == "__main__":
    main()
