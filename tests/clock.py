"""A clock the tests can move: the app checks two-step codes against it (config EDU_CLOCK)."""

from __future__ import annotations

import time


class TestClock:
    """Real time plus an offset the tests can move forward; never backward."""

    __test__ = False  # not a pytest test class

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds

    def reset(self) -> None:
        self.offset = 0.0


clock = TestClock()
