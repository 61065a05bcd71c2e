"""Fault-suite helpers: a Slack stand-in per module, mentions, and waiting for answers."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator

import pytest

from tests.handlers.slack_standin import SlackStandIn


@pytest.fixture(scope="module")
def standin() -> Iterator[SlackStandIn]:
    server = SlackStandIn().start()
    yield server
    server.stop()


@pytest.fixture
def slack(standin: SlackStandIn) -> SlackStandIn:
    standin.reset()
    return standin


def mention(n: int, channel: str = "CFAULT", text: str = "<@UBOT> who is Marc Knapper?") -> dict:
    """A distinct app_mention event (its ts is unique per n and run)."""
    ts = f"{int(time.time())}.{n:06d}"
    return {
        "type": "app_mention",
        "user": "U123",
        "text": text,
        "ts": ts,
        "channel": channel,
        "event_ts": ts,
    }


def answers_by_thread(standin: SlackStandIn, channel: str) -> Counter[str]:
    """How many answers were posted in each thread of `channel` (first message of each)."""
    return Counter(
        str(p.get("thread_ts"))
        for p in standin.of("chat.postMessage")
        if p.get("channel") == channel
        and (p.get("metadata") or {}).get("event_payload", {}).get("part") == 0
    )


def wait_until(check: Callable[[], bool], timeout: float, every: float = 0.1) -> bool:
    """True once `check()` holds, False after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(every)
    return check()
