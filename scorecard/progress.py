"""A progress bar for long command-line runs, drawn only when stderr is a terminal."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import TextIO

from tqdm import tqdm


class TerminalProgress:
    """A ``(done, total, label)`` callback that draws a tqdm bar on a terminal and nothing elsewhere.

    Use it as a context manager so the bar is closed (and the line freed for the summary).
    """

    def __init__(self, description: str, unit: str = "it", stream: TextIO | None = None,
                 unit_scale: bool = False) -> None:
        self._stream = stream or sys.stderr
        self._description, self._unit, self._unit_scale = description, unit, unit_scale
        self._bar: tqdm | None = None
        self.enabled = self._stream.isatty()

    def __call__(self, done: int, total: int, label: str) -> None:
        if not self.enabled:
            return
        if self._bar is None:
            self._bar = tqdm(total=total, desc=self._description, unit=self._unit, file=self._stream,
                             unit_scale=self._unit_scale, leave=False)
        self._bar.n = done
        self._bar.set_postfix_str(label, refresh=False)
        self._bar.refresh()

    def __enter__(self) -> TerminalProgress:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._bar is not None:
            self._bar.close()
