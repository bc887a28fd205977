"""Jobs a server runs on a clock (snooze expiry, clean-ups), one failure never stopping them."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import anyio

log = logging.getLogger("laneway.periodic")


async def every(seconds: float, job: Callable[[], Awaitable[Any]], name: str) -> None:
    """Run `job` now and then every `seconds`, until cancelled."""
    while True:
        try:
            await job()
        except Exception:
            log.exception("periodic job %s failed; retrying in %s s", name, seconds)
        await anyio.sleep(seconds)
