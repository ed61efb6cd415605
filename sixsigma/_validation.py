"""Input checks shared by the SPC and capability functions; every failure is a ValueError."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from errors import DomainError

__all__ = ["MAX_MAGNITUDE", "as_numbers", "check_counts", "numeric_column", "require_columns", "sample_mask"]

#: Larger magnitudes overflow when squared (variances); such data must be rescaled first.
MAX_MAGNITUDE = 1e100


def as_numbers(data: Any, what: str = "data") -> np.ndarray:
    """Return ``data`` as a float array, refusing text, dates, complex and non-finite values.

    NaN is kept (callers decide whether it means "missing"); ±inf is refused.
    """
    try:
        arr = np.asarray(data)
    except (TypeError, ValueError):  # ragged lists and the like
        raise DomainError("{what} must be a rectangular table of numbers (every row as long as the others)",
                          what=what) from None
    if arr.dtype.kind in "USVMmc":
        raise DomainError("{what} must contain numbers only, got values of type {dtype}", what=what, dtype=arr.dtype)
    if arr.dtype.kind == "O":
        if any(isinstance(v, (str, bytes)) for v in arr.ravel().tolist()):
            raise DomainError("{what} must contain numbers only, found text", what=what)
        try:
            arr = arr.astype(float)
        except (TypeError, ValueError):
            raise DomainError("{what} must contain numbers only", what=what) from None
    arr = arr.astype(float, copy=False)
    if arr.size == 0:
        raise DomainError("{what} is empty: a chart needs data", what=what)
    if np.isinf(arr).any():
        raise DomainError("{what} contains infinite values", what=what)
    if (np.abs(arr) > MAX_MAGNITUDE).any():
        raise DomainError("{what} has values beyond ±{limit:g}; rescale the data (e.g. change units)", what=what,
                          limit=MAX_MAGNITUDE)
    return arr


def check_counts(counts: np.ndarray, what: str) -> np.ndarray:
    """Counts must be whole, non-negative and not missing."""
    if np.isnan(counts).any():
        raise DomainError("{what} contain missing values (NaN); every sample needs a count", what=what)
    if (counts < 0).any():
        raise DomainError("{what} must not be negative (sample {sample})", what=what,
                          sample=int(np.argmax(counts < 0)) + 1)
    if not np.array_equal(counts, np.round(counts)):
        raise DomainError("{what} must be whole numbers (did you pass proportions instead of counts?)", what=what)
    return counts


def sample_mask(spec: Any, m: int, what: str, default: bool) -> np.ndarray:
    """Turn a slice, a leading count, a boolean mask or a list of indices into a boolean mask."""
    if spec is None:
        return np.full(m, default)
    if isinstance(spec, slice):
        mask = np.zeros(m, dtype=bool)
        mask[spec] = True
        return mask
    if isinstance(spec, (int, np.integer)) and not isinstance(spec, bool):
        if not 0 < spec <= m:
            raise DomainError("{what} = {count} must be between 1 and the number of samples ({m})", what=what,
                              count=spec, m=m)
        mask = np.zeros(m, dtype=bool)
        mask[: int(spec)] = True
        return mask
    arr = np.asarray(spec)
    if arr.dtype == bool:
        if arr.shape != (m,):
            raise DomainError("{what} mask has {size} entries but there are {m} samples", what=what, size=arr.size, m=m)
        return arr.copy()
    if arr.size == 0:
        return np.zeros(m, dtype=bool)
    if arr.dtype.kind not in "iu" and not (arr.dtype.kind == "f" and np.all(arr == np.round(arr))):
        raise DomainError("{what} must be a slice, a count, a boolean mask or sample indices", what=what)
    idx = arr.astype(int).ravel()
    if (idx < -m).any() or (idx >= m).any():
        raise DomainError("{what} refers to a sample outside 0..{last}", what=what, last=m - 1)
    mask = np.zeros(m, dtype=bool)
    mask[idx] = True
    return mask


def require_columns(frame: Any, columns: list[str]) -> None:
    """``frame`` must be a DataFrame holding every one of ``columns``."""
    if not isinstance(frame, pd.DataFrame):
        raise DomainError("The data must be a table (DataFrame) with one row per observation.")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DomainError("The data have no column(s) {columns}.", columns=missing)


def numeric_column(frame: pd.DataFrame, column: str) -> np.ndarray:
    """A column as finite floats, or ValueError naming the first value that is not a number (1-based row)."""
    raw = frame[column]
    values = pd.to_numeric(raw, errors="coerce")
    bad = values.isna().to_numpy() | ~np.isfinite(values.fillna(0.0).to_numpy(dtype=float))
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise DomainError("Column {column} has a value that is not a number in row {row}: {value!r}.",
                          column=column, row=row + 1, value=raw.iloc[row])
    return values.to_numpy(dtype=float)
