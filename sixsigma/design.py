"""DFSS design tools: the CTQ tree and the house of quality (QFD).

QFD (Akao's house of quality) relates customer needs, each with an importance 1–5, to design
characteristics with the usual 0/1/3/9 relationship strengths (none, weak, moderate, strong).
A characteristic's absolute technical importance is Σ importance × strength over the needs;
its relative importance is its share of the total, in percent.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import pandas as pd

from errors import DomainError

STRENGTHS = (0, 1, 3, 9)


def _optional_number(value, row: int, limit: str) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()) or (isinstance(value, float) and math.isnan(value)):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise DomainError("CTQ row {row}: {limit} must be a number, not {value!r}.", row=row, limit=limit,
                          value=value) from None
    if not math.isfinite(number):
        raise DomainError("CTQ row {row}: {limit} must be a finite number.", row=row, limit=limit)
    return number


def ctq_tree(rows: Sequence[Mapping]) -> pd.DataFrame:
    """Validated CTQ tree rows: need → driver → CTQ with its measure and optional LSL, target, USL.

    Need, driver and CTQ are required; LSL must lie below USL and the target between them.
    """
    if not rows:
        raise DomainError("The CTQ tree has no rows yet.")
    clean = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, Mapping):
            raise DomainError("CTQ row {row}: expected the row's fields (need, driver, CTQ), not {fields!r}.",
                              row=number, fields=row)
        texts = {k: str(row.get(k) or "").strip() for k in ("need", "driver", "ctq", "measure")}
        empty = [k for k in ("need", "driver", "ctq") if not texts[k]]
        if empty:
            raise DomainError("CTQ row {row}: fill in the {fields: and }.", row=number, fields=empty)
        lsl, target, usl = (_optional_number(row.get(k), number, k.upper()) for k in ("lsl", "target", "usl"))
        if lsl is not None and usl is not None and lsl >= usl:
            raise DomainError("CTQ row {row}: the LSL ({lsl:g}) must be below the USL ({usl:g}).", row=number, lsl=lsl,
                              usl=usl)
        if target is not None and ((lsl is not None and target < lsl) or (usl is not None and target > usl)):
            raise DomainError("CTQ row {row}: the target ({target:g}) must lie within the limits.", row=number,
                              target=target)
        clean.append({**texts, "lsl": lsl, "target": target, "usl": usl})
    return pd.DataFrame(clean)


def qfd(needs: Mapping[str, float], characteristics: Sequence[str],
        relations: Mapping[tuple[str, str], int]) -> pd.DataFrame:
    """Technical importance of each design characteristic, largest first.

    ``needs``: customer need → importance 1–5; ``relations``: (need, characteristic) → 0, 1, 3
    or 9 (missing pairs count as 0). Columns: characteristic, absolute, relative (%), rank.
    """
    if not needs or not characteristics:
        raise DomainError("The house of quality needs at least one customer need and one design characteristic.")
    for need, importance in needs.items():
        if isinstance(importance, bool) or not isinstance(importance, (int, float)) or not 1 <= importance <= 5:
            raise DomainError("The importance of {need!r} must be from 1 to 5, not {importance!r}.", need=need,
                              importance=importance)
    for (need, characteristic), strength in relations.items():
        if need not in needs or characteristic not in characteristics:
            raise DomainError("The relation {need!r} × {characteristic!r} names an unknown need or characteristic.",
                              need=need, characteristic=characteristic)
        if strength not in STRENGTHS:
            raise DomainError("Relationship strengths are 0, 1, 3 or 9; {need!r} × {characteristic!r} has {strength!r}.",
                              need=need, characteristic=characteristic, strength=strength)
    absolute = {c: float(sum(needs[n] * relations.get((n, c), 0) for n in needs)) for c in characteristics}
    total = sum(absolute.values())
    if total == 0:
        raise DomainError("No need is related to any characteristic yet.")
    table = pd.DataFrame({"characteristic": list(absolute), "absolute": list(absolute.values())})
    table["relative"] = 100.0 * table["absolute"] / total
    table = table.sort_values(["absolute", "characteristic"], ascending=[False, True], kind="stable").reset_index(drop=True)
    table["rank"] = table["absolute"].rank(method="min", ascending=False).astype(int)
    return table
