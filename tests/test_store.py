"""State in the database: each event claimed once, feedback kept, across processes."""

import datetime as dt
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.store import LEASE, RETRY_AFTER, Store, StoreError


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


# --- digests -------------------------------------------------------------------------

DAY = dt.date(2026, 11, 22)
NOW = dt.datetime(2026, 11, 22, 1, 5, tzinfo=dt.UTC)


def test_subscriptions(database_url):
    store = Store(database_url)
    store.migrate()
    store.subscribe("C1", "08:00", "Asia/Ho_Chi_Minh", False, "U1")
    store.subscribe("C1", "09:30", "Europe/Paris", True, "U2")
    (sub,) = store.active_subscriptions()
    assert (sub.post_time, sub.timezone, sub.every_day) == ("09:30", "Europe/Paris", True)
    assert store.unsubscribe("C1", "turned off") is True
    assert store.unsubscribe("C1", "again") is False
    assert (
        store.active_subscriptions() == [] and store.subscription("C1").ended_reason == "turned off"
    )


def test_a_digest_is_claimed_once_however_many_try(database_url):
    store = Store(database_url)
    store.migrate()
    with ThreadPoolExecutor(8) as pool:
        claims = list(
            pool.map(lambda n: store.claim_digest("C1", DAY, f"replica-{n}", NOW), range(16))
        )
    assert [c for c in claims if c is not None] == [1]


def test_an_abandoned_claim_is_taken_over_after_its_lease(database_url):
    store = Store(database_url)
    store.migrate()
    assert store.claim_digest("C1", DAY, "a", NOW) == 1
    assert store.claim_digest("C1", DAY, "b", NOW + LEASE / 2) is None
    assert store.claim_digest("C1", DAY, "b", NOW + LEASE + dt.timedelta(seconds=1)) == 2


def test_a_failed_post_is_retried_after_a_delay_and_a_posted_one_never(database_url):
    store = Store(database_url)
    store.migrate()
    store.claim_digest("C1", DAY, "a", NOW)
    store.finish_digest("C1", DAY, "failed", error="timeout")
    assert store.claim_digest("C1", DAY, "b", NOW + dt.timedelta(seconds=5)) is None
    assert store.claim_digest("C1", DAY, "b", NOW + RETRY_AFTER + dt.timedelta(seconds=1)) == 2
    store.finish_digest("C1", DAY, "posted", message_ts="1.2")
    assert store.digest_done("C1", DAY)
    assert store.claim_digest("C1", DAY, "c", NOW + dt.timedelta(days=1)) is None
    assert store.last_posted("C1", DAY + dt.timedelta(days=1)) == DAY


def test_upgrading_a_database_from_before_migrations_keeps_its_rows(database_url):
    from sqlalchemy import create_engine, inspect

    from bot.store import feedback, seen_events

    legacy = create_engine(database_url)
    seen_events.create(legacy)
    feedback.create(legacy)
    with legacy.begin() as connection:
        connection.execute(seen_events.insert().values(key="event:old", seen_at=NOW))
        connection.execute(
            feedback.insert().values(
                user_id="U1", question="q", fact_ids="[]", vote=1, created_at=NOW
            )
        )
    legacy.dispose()
    store = Store(database_url)
    store.migrate()
    assert store.claim("event:old") is False
    assert len(store.feedback_rows()) == 1
    assert {"subscriptions", "digest_ledger", "alembic_version"} <= set(
        inspect(store.engine).get_table_names()
    )
