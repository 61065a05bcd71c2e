"""The durable work queue on SQLite and PostgreSQL: duplicates dropped, one claimer per
row, leases taken over, retries delayed, finished rows pruned."""

import datetime as dt
import threading

from bot.store import Store, masked
from bot.workqueue import NewWork, WorkQueue

NOW = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
LEASE = dt.timedelta(seconds=10)


def queue_at(url: str) -> WorkQueue:
    store = Store(url)
    store.migrate()
    return WorkQueue(store)


def work(n: int) -> NewWork:
    return NewWork(f"message:C1:{n}", "mention", {"text": f"question {n}"}, channel_id="C1")


def test_the_same_message_is_queued_once(database_url):
    queue = queue_at(database_url)
    assert queue.enqueue(work(1), NOW) is True
    assert queue.enqueue(work(1), NOW) is False
    assert queue.depth(NOW + dt.timedelta(seconds=3)) == (1, 3.0)


def test_a_row_has_one_claimer_until_its_lease_runs_out(database_url):
    queue = queue_at(database_url)
    queue.enqueue(work(1), NOW)
    first = queue.claim("a", LEASE, NOW)
    assert first is not None and first.attempts == 1 and first.payload == {"text": "question 1"}
    assert queue.claim("b", LEASE, NOW + dt.timedelta(seconds=5)) is None
    taken = queue.claim("b", LEASE, NOW + dt.timedelta(seconds=11))  # "a" died
    assert taken is not None and taken.id == first.id and taken.attempts == 2
    queue.finish(first.id, "a", "delivered")  # the old claimer no longer owns it
    assert queue.rows()[0]["status"] == "claimed"
    queue.record_progress(taken.id, "b", 1, 0, NOW + LEASE)
    queue.finish(taken.id, "b", "delivered")
    row = queue.rows()[0]
    assert row["status"] == "delivered" and row["progress"] == 1


def test_released_work_waits_for_its_retry_time(database_url):
    queue = queue_at(database_url)
    queue.enqueue(work(1), NOW)
    item = queue.claim("a", LEASE, NOW)
    queue.release(item.id, "a", NOW + dt.timedelta(seconds=30), "ratelimited")
    assert queue.claim("a", LEASE, NOW + dt.timedelta(seconds=29)) is None
    assert queue.claim("a", LEASE, NOW + dt.timedelta(seconds=31)).attempts == 2


def test_concurrent_claimers_never_share_a_row(database_url):
    queue = queue_at(database_url)
    for n in range(40):
        queue.enqueue(work(n), NOW)
    claimed: list[int] = []
    lock = threading.Lock()

    def claimer(name: str) -> None:
        while (item := queue.claim(name, LEASE, NOW)) is not None:
            with lock:
                claimed.append(item.id)

    threads = [threading.Thread(target=claimer, args=(f"w{n}",)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(claimed) == sorted(set(claimed)) and len(claimed) == 40


def test_finished_rows_and_old_event_keys_are_pruned(database_url):
    queue = queue_at(database_url)
    queue.enqueue(work(1), NOW - dt.timedelta(days=9))
    queue.enqueue(work(2), NOW - dt.timedelta(days=9))  # still undelivered: kept
    item = queue.claim("a", LEASE, NOW - dt.timedelta(days=9))
    queue.finish(item.id, "a", "delivered")
    queue.store.claim("event:Ev1")
    assert queue.prune(dt.datetime.now(dt.UTC) + dt.timedelta(days=1)) == 2
    assert [r["dedupe_key"] for r in queue.rows()] == ["message:C1:2"]
    assert queue.store.claim("event:Ev1") is True  # forgotten, so claimable again


def test_readiness_and_masked_urls(database_url, tmp_path):
    store = Store(database_url)
    assert store.unready() is not None  # no schema yet
    store.migrate()
    assert store.unready() is None
    assert masked("postgresql+psycopg://u:pw123@h:5432/d") == "postgresql+psycopg://u:***@h:5432/d"
