"""Progress with an estimate of the time left, for long-running commands."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(self, label: str, total: int, stream: TextIO | None = None) -> None:
        self.label = label
        self.total = max(total, 1)
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self.last_print = 0.0

    def update(self, done: int) -> None:
        now = time.monotonic()
        if done < self.total and now - self.last_print < 0.5:  # noqa: PLR2004 - twice a second
            return
        self.last_print = now
        elapsed = now - self.started
        left = elapsed / done * (self.total - done) if done else 0.0
        percent = 100 * done // self.total
        self.stream.write(
            f"\r{self.label}: {done}/{self.total} ({percent} %), ca. {left:.0f} s igjen   "
        )
        if done >= self.total:
            self.stream.write(f"\r{self.label}: {self.total} ferdig på {elapsed:.1f} s{' ' * 20}\n")
        self.stream.flush()
