"""Slack failing: acknowledgements stay fast, answers are retried and delivered once."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from tests.faults.conftest import answers_by_thread, mention, wait_until
from tests.handlers.conftest import RunningApp, start_app
from tests.handlers.slack_standin import SlackStandIn


@pytest.fixture(scope="module")
def running(
    standin: SlackStandIn, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningApp]:
    app = start_app(standin, tmp_path_factory.mktemp("slack-faults"))
    yield app
    app.process.terminate()
    app.process.wait(timeout=30)


def test_acks_stay_under_3_seconds_while_the_web_api_hangs(running, slack):
    """Promise: every request is acknowledged within 3 s, even while every Web API call
    and response_url post hangs (answering runs apart from acknowledging)."""
    slack.hang("chat.postMessage", 6)
    slack.hang("response_url", 6)
    replies = []

    def send(n: int) -> None:
        if n % 2:
            replies.append(running.command(f"who is Marc Knapper? {n}")[0])
        else:
            replies.append(running.event(mention(n, channel="CHANG")))

    threads = [threading.Thread(target=send, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(replies) == 20
    assert all(r.status == 200 for r in replies), [r.status for r in replies]
    assert max(r.seconds for r in replies) < 3, sorted(r.seconds for r in replies)[-3:]
    slack.hangs.clear()
    assert wait_until(lambda: len(answers_by_thread(slack, "CHANG")) == 10, timeout=40)
    assert set(answers_by_thread(slack, "CHANG").values()) == {1}


@pytest.mark.parametrize(("status", "retry_after"), [(500, None), (429, 1)])
def test_response_url_failures_are_retried(running, slack, status, retry_after):
    """Promise: a response_url post that fails with a 5xx or a 429 (honouring Retry-After)
    is retried, and the answer is delivered exactly once."""
    slack.fail_next("response_url", status=status, retry_after=retry_after, times=2)
    reply, path = running.command("who is Marc Knapper?")
    assert reply.status == 200
    (message,) = running.responses(path)
    assert "Knapper" in str(message)
    slack.settle(1.0)
    assert len(running.responses(path)) == 1
    assert len([c for c in slack.calls if c.method.startswith("response_url (failed")]) == 2


def test_expired_response_url_falls_back_to_an_ephemeral_message(running, slack):
    """Promise: when response_url no longer works (expired), the answer still reaches
    the asker privately, as an ephemeral message in the channel."""
    slack.fail_next("response_url", status=404, retry_after=None)
    slack.failure_error = "expired_url"
    running.command("who is Marc Knapper?", channel="CEPH")
    (ephemeral,) = slack.wait_for("chat.postEphemeral")
    assert ephemeral["channel"] == "CEPH" and ephemeral["user"] == "U123"


def test_not_in_channel_ephemeral_falls_back_to_a_dm(running, slack):
    """Promise: if the bot cannot post in the channel, the asker gets a direct message."""
    slack.fail_next("response_url", status=404, retry_after=None)
    slack.failure_error = "expired_url"
    slack.error_next("chat.postEphemeral", "not_in_channel")
    running.command("who is Marc Knapper?", channel="CGONE", user="U321")
    (dm,) = slack.wait_for("chat.postMessage")
    assert dm["channel"] == "U321"


def test_connection_reset_and_rate_limit_are_retried_and_posted_once(running, slack):
    """Promise: a reset connection or a 429 from chat.postMessage is retried; the
    mention is answered exactly once."""
    slack.reset_next("chat.postMessage")
    event = mention(1, channel="CRESET")
    running.event(event)
    assert wait_until(lambda: answers_by_thread(slack, "CRESET")[event["ts"]] >= 1, timeout=20)
    slack.fail_next("chat.postMessage", status=429, retry_after=1)
    event2 = mention(2, channel="CRESET")
    running.event(event2)
    assert wait_until(lambda: answers_by_thread(slack, "CRESET")[event2["ts"]] >= 1, timeout=20)
    slack.settle(1.0)
    assert set(answers_by_thread(slack, "CRESET").values()) == {1}


def test_permanent_slack_error_is_not_retried(running, slack):
    """Promise: ok:false with not_in_channel is final: no retry loop, no post."""
    slack.error_next("chat.postMessage", "not_in_channel", times=5)
    running.event(mention(3, channel="CNOTIN"))
    wait_until(lambda: any("failed" in c.method for c in slack.calls), timeout=10)
    slack.settle(1.5)
    failed = [c for c in slack.calls if c.method == "chat.postMessage (failed 200)"]
    assert len(failed) == 1 and slack.of("chat.postMessage") == []


def test_replayed_signed_command_is_answered_once(running, slack):
    """Promise: the same signed request replayed within its 5-minute window is answered once."""
    from urllib.parse import urlencode

    from tests.handlers.conftest import sign

    body = urlencode(
        {
            "team_id": "T0001",
            "channel_id": "C1",
            "user_id": "U1",
            "command": "/attache",
            "text": "who is Marc Knapper?",
            "response_url": slack.response_url("replayed"),
            "trigger_id": "t-replay",
        }
    )
    headers = sign(body)
    first = running.post(body, "application/x-www-form-urlencoded", headers=headers)
    time.sleep(0.2)
    again = running.post(body, "application/x-www-form-urlencoded", headers=headers)
    assert first.status == again.status == 200
    running.responses("/response/replayed")
    slack.settle(1.0)
    assert len(running.responses("/response/replayed")) == 1


def test_work_older_than_its_response_url_is_answered_ephemerally(running, slack):
    """Promise: queued work resumed after its response_url expired (30 minutes) still
    reaches the asker, as an ephemeral message, never through the stale URL."""
    import datetime as dt

    from bot.store import Store
    from bot.workqueue import WorkQueue
    from handlers.commands import command_work

    command = {
        "team_id": "T0001",
        "channel_id": "COLD",
        "user_id": "U999",
        "command": "/attache",
        "text": "who is Marc Knapper?",
        "response_url": slack.response_url("stale"),
    }
    old = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=31)
    queue = WorkQueue(Store(f"sqlite:///{running.database}"))
    assert queue.enqueue(command_work(command, "resumed-after-restart"), now=old)
    (ephemeral,) = slack.wait_for("chat.postEphemeral")
    assert ephemeral["channel"] == "COLD" and ephemeral["user"] == "U999"
    assert not [c for c in slack.calls if c.method == "response_url"]
