"""Posting digests through the Web API stand-in: once per channel per local day."""

import datetime as dt
from collections.abc import Iterator

import pytest
from slack_sdk import WebClient

from bot.store import RETRY_AFTER, Store
from handlers.scheduler import METADATA_TYPE, run_due
from handlers.settings import Settings
from handlers.slack_api import web_client
from tests.handlers.slack_standin import SlackStandIn

UTC = dt.UTC
# Hanoi is UTC+7: 01:05 UTC is 08:05 local, just after an 08:00 digest.
DUE = dt.datetime(2025, 12, 18, 1, 5, tzinfo=UTC)


@pytest.fixture(scope="module")
def standin() -> Iterator[SlackStandIn]:
    server = SlackStandIn().start()
    yield server
    server.stop()


@pytest.fixture
def client(standin: SlackStandIn) -> WebClient:
    standin.reset()
    settings = Settings("xoxb-test", "s", None, standin.api_url, "", None, 3000)
    slack = web_client(settings)
    slack.timeout = 1
    return slack


@pytest.fixture
def store(database_url: str) -> Store:
    store = Store(database_url)
    store.migrate()
    store.subscribe("C1", "08:00", "Asia/Ho_Chi_Minh", False, "U1")
    return store


def test_due_digest_is_posted_once_with_its_metadata(engine, client, store, standin):
    assert [o.status for o in run_due(DUE, client, engine, store)] == ["posted"]
    (post,) = standin.of("chat.postMessage")
    assert post["channel"] == "C1" and "On this day" in post["text"]
    assert post["metadata"] == {
        "event_type": METADATA_TYPE,
        "event_payload": {"date": "2025-12-18", "channel": "C1"},
    }
    assert run_due(DUE + dt.timedelta(minutes=10), client, engine, store) == []
    assert len(standin.of("chat.postMessage")) == 1


def test_not_posted_before_its_time(engine, client, store, standin):
    assert run_due(DUE - dt.timedelta(minutes=10), client, engine, store) == []
    assert standin.of("chat.postMessage") == []


def test_missed_digest_is_posted_late_the_same_day_but_never_for_a_day_gone(
    engine, client, store, standin
):
    late = dt.datetime(2025, 12, 18, 16, 0, tzinfo=UTC)  # 23:00 in Hanoi, the same day
    assert [o.day for o in run_due(late, client, engine, store)] == [dt.date(2025, 12, 18)]
    next_day = dt.datetime(2025, 12, 19, 0, 30, tzinfo=UTC)  # 07:30 on the 19th: the 18th is over
    assert run_due(next_day, client, engine, store) == []


def test_quiet_day_posts_nothing_unless_asked_every_day(engine, client, store, standin):
    quiet = dt.datetime(2026, 2, 3, 1, 5, tzinfo=UTC)
    assert [o.status for o in run_due(quiet, client, engine, store)] == ["empty"]
    assert standin.of("chat.postMessage") == []
    store.subscribe("C2", "08:00", "Asia/Ho_Chi_Minh", True, "U1")
    assert [o.status for o in run_due(quiet, client, engine, store)] == ["posted"]
    assert standin.of("chat.postMessage")[0]["channel"] == "C2"


def test_unknown_outcome_is_looked_for_before_posting_again(engine, client, store, standin):
    standin.delay_next("chat.postMessage", 2.5)  # posted, but the client times out first
    assert [o.status for o in run_due(DUE, client, engine, store)] == ["failed"]
    assert len(standin.of("chat.postMessage")) == 1
    retry = DUE + RETRY_AFTER + dt.timedelta(seconds=1)
    assert [o.status for o in run_due(retry, client, engine, store)] == ["found"]
    assert len(standin.of("chat.postMessage")) == 1
    assert standin.of("conversations.history")[0]["include_all_metadata"] in ("1", "true", "True")
    assert run_due(retry + dt.timedelta(minutes=5), client, engine, store) == []


def test_a_failed_post_is_retried_and_delivered(engine, client, store, standin):
    standin.fail_next("chat.postMessage", status=500, retry_after=None, times=3)
    assert [o.status for o in run_due(DUE, client, engine, store)] == ["failed"]
    retry = DUE + RETRY_AFTER + dt.timedelta(seconds=1)
    assert [o.status for o in run_due(retry, client, engine, store)] == ["posted"]
    assert len(standin.of("chat.postMessage")) == 1


def test_removed_or_archived_channel_turns_the_digest_off(engine, client, store, standin, caplog):
    standin.fail_next("chat.postMessage", status=200, retry_after=None)
    standin.failure_error = "not_in_channel"
    assert [o.status for o in run_due(DUE, client, engine, store)] == ["stopped"]
    assert store.active_subscriptions() == []
    assert store.subscription("C1").ended_reason == "not_in_channel"
    assert "turned off" in caplog.text
