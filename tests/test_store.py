"""State in the database: each event claimed once, feedback kept, across processes."""

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.store import Store, StoreError


def test_an_event_is_claimed_once(database_url):
    store = Store(database_url)
    store.migrate()
    assert store.claim("event:Ev1") is True
    assert store.claim("event:Ev1") is False
    assert store.claim("event:Ev2") is True


def test_concurrent_claims_have_one_winner(database_url):
    store = Store(database_url)
    store.migrate()
    with ThreadPoolExecutor(8) as pool:
        wins = list(pool.map(lambda _: store.claim("event:race"), range(16)))
    assert wins.count(True) == 1


def test_claims_hold_across_processes(database_url):
    Store(database_url).migrate()
    code = f"from bot.store import Store; print(Store({database_url!r}).claim('event:cross'))"
    outputs = [
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.strip()
        for _ in range(2)
    ]
    assert outputs == ["True", "False"]


def test_feedback_is_kept(database_url):
    store = Store(database_url)
    store.migrate()
    store.record_feedback("U1", "C1", "who is Marc Knapper?", ["a", "b"], +1)
    store.record_feedback("U2", None, "what is ADMM+?", [], -1)
    rows = store.feedback_rows()
    assert [(r["user_id"], r["vote"], r["fact_ids"]) for r in rows] == [
        ("U1", 1, ["a", "b"]),
        ("U2", -1, []),
    ]


def test_migrating_twice_keeps_rows(database_url):
    store = Store(database_url)
    store.migrate()
    store.claim("event:kept")
    store.migrate()
    assert store.claim("event:kept") is False


def test_ping(database_url):
    assert Store(database_url).ping() is True


def test_unusable_url_is_a_clear_error():
    with pytest.raises(StoreError, match="cannot use the database"):
        Store("nosuchdb://x")
