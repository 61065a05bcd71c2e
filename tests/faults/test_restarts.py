"""Stopping mid-burst (SIGTERM, SIGKILL) and starting again: every acknowledged
mention is answered exactly once, including when Slack retries the events."""

from __future__ import annotations

import signal
import threading
import time

from tests.faults.conftest import answers_by_thread, mention, wait_until
from tests.handlers.conftest import Reply, start_app


def burst(app, events: list[dict], acked: list[dict], retry: int | None = None) -> None:
    """Send `events` from 8 threads; record those acknowledged with 200."""
    lock = threading.Lock()

    def send(chunk: list[dict]) -> None:
        for event in chunk:
            try:
                reply: Reply = app.event(event, event_id=f"Ev{event['ts']}", retry=retry)
            except OSError:
                continue  # the server is gone: not acknowledged, Slack would retry
            if reply.status == 200:
                with lock:
                    acked.append(event)

    threads = [threading.Thread(target=send, args=(events[n::8],)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def test_sigterm_mid_burst_then_restart_answers_every_acknowledged_mention_once(slack, tmp_path):
    """Promise: after SIGTERM the process stops accepting, finishes what it holds within
    ATTACHE_SHUTDOWN_GRACE, leaves the rest queued; the next start answers the rest.
    Every acknowledged mention is answered exactly once."""
    env = {"ATTACHE_SHUTDOWN_GRACE": "3", "ATTACHE_WORKERS": "2"}
    app = start_app(slack, tmp_path, env, log=tmp_path / "first.log")
    slack.hang("chat.postMessage", 0.3)  # answering is slower than acknowledging
    events = [mention(n, channel="CTERM") for n in range(60)]
    acked: list[dict] = []
    sender = threading.Thread(target=burst, args=(app, events, acked))
    sender.start()
    time.sleep(1.0)
    app.process.send_signal(signal.SIGTERM)
    sender.join()
    app.process.wait(timeout=15)
    first = len(answers_by_thread(slack, "CTERM"))
    assert acked and first < len(acked)  # work was left for the next start
    again = start_app(slack, tmp_path, env, log=tmp_path / "second.log")
    try:
        want = {e["ts"] for e in acked}
        assert wait_until(lambda: want <= set(answers_by_thread(slack, "CTERM")), timeout=60)
        slack.settle(1.0)
        answered = answers_by_thread(slack, "CTERM")
        assert all(answered[ts] == 1 for ts in want), answered.most_common(3)
    finally:
        again.process.terminate()
        again.process.wait(timeout=30)


def test_sigkill_mid_burst_restart_and_slack_retries_answer_exactly_once(slack, tmp_path):
    """Promise: after SIGKILL (no chance to clean up) and a restart, with Slack retrying
    every event, each acknowledged mention is answered exactly once: claims left by the
    dead process expire, and a post it may have made is found by its metadata."""
    env = {"ATTACHE_WORKERS": "2"}  # default lease: the restart frees the dead claims
    app = start_app(slack, tmp_path, env, log=tmp_path / "first.log")
    slack.hang("chat.postMessage", 0.3)
    events = [mention(n, channel="CKILL") for n in range(40)]
    acked: list[dict] = []
    sender = threading.Thread(target=burst, args=(app, events, acked))
    sender.start()
    time.sleep(1.0)
    app.process.kill()
    sender.join()
    app.process.wait(timeout=10)
    assert acked and len(answers_by_thread(slack, "CKILL")) < len(acked)
    slack.hangs.clear()
    again = start_app(slack, tmp_path, env, log=tmp_path / "second.log")
    try:
        retried: list[dict] = []
        burst(again, events, retried, retry=1)  # Slack retries everything it sent
        want = {e["ts"] for e in acked} | {e["ts"] for e in retried}
        assert wait_until(lambda: want <= set(answers_by_thread(slack, "CKILL")), timeout=60)
        slack.settle(2.0)
        answered = answers_by_thread(slack, "CKILL")
        assert all(answered[ts] == 1 for ts in want), answered.most_common(3)
    finally:
        again.process.terminate()
        again.process.wait(timeout=30)
