"""Two `attache serve` replicas on one PostgreSQL: one answer per event, one digest per day."""

import json
import threading
import time

from bot.store import Store
from tests.handlers.conftest import start_app
from tests.handlers.slack_standin import SlackStandIn


def test_two_replicas_answer_once_and_post_one_digest(tmp_path, postgres_database):
    database_url = postgres_database
    store = Store(database_url)
    store.migrate()
    store.subscribe("CREPLICA", "00:00", "UTC", True, "U1")  # due all day, every day
    standin = SlackStandIn().start()
    env = {"ATTACHE_DATABASE_URL": database_url, "ATTACHE_DIGEST_TICK": "0.3"}
    replicas = [start_app(standin, tmp_path / f"r{n}", env) for n in range(2)]
    try:
        ts = f"{time.time():.6f}"
        event = {
            "type": "app_mention",
            "user": "U123",
            "text": "<@UBOT> who is Marc Knapper?",
            "ts": ts,
            "channel": "CQ",
        }
        threads = [threading.Thread(target=r.event, args=(event, "EvREPLICA1")) for r in replicas]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and len(standin.of("chat.postMessage")) < 2:
            time.sleep(0.1)
        time.sleep(2)  # several more ticks of both schedulers
        posts = standin.of("chat.postMessage")
        answers = [p for p in posts if p["channel"] == "CQ"]
        digests = [p for p in posts if p["channel"] == "CREPLICA"]
        assert len(answers) == 1 and "Ambassador" in answers[0]["text"]
        assert len(digests) == 1 and json.dumps(digests[0]["metadata"]).count("attache_digest") == 1
    finally:
        for r in replicas:
            r.process.terminate()
            r.process.wait(timeout=10)
        standin.stop()
