"""`attache serve` picks up an edited fact base and keeps the old one on an invalid edit."""

import json
import shutil
import time
import urllib.request
from pathlib import Path

from bot.knowledge import bundled_path
from tests.handlers.conftest import start_app
from tests.test_reload import NEW_FACT

POLL = "0.3"


def fact_base(url: str) -> dict:
    with urllib.request.urlopen(f"{url}/readyz", timeout=5) as response:
        return json.loads(response.read())["fact_base"]


def wait_for(url: str, condition, seconds: float = 20.0) -> dict:
    deadline = time.monotonic() + seconds
    while True:
        status = fact_base(url)
        if condition(status) or time.monotonic() > deadline:
            return status
        time.sleep(0.2)


def test_a_running_server_reloads_and_keeps_the_last_good_base(standin, tmp_path):
    base = tmp_path / "kb"
    shutil.copytree(bundled_path(), base, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    app = start_app(
        standin,
        tmp_path / "app",
        extra_env={"ATTACHE_KNOWLEDGE": str(base), "ATTACHE_KNOWLEDGE_POLL": POLL},
    )
    try:
        first = fact_base(app.url)
        planted: Path = base / "facts" / "planted.yaml"
        planted.write_text(NEW_FACT, encoding="utf-8")
        second = wait_for(app.url, lambda s: s["version"] != first["version"])
        assert second["facts"] == first["facts"] + 1 and second["last_error"] is None

        planted.write_text(NEW_FACT.replace("kind: meeting", "kind: meetup"), encoding="utf-8")
        third = wait_for(app.url, lambda s: s["last_error"] is not None)
        assert "meetup" in third["last_error"]
        assert third["version"] == second["version"] and third["facts"] == second["facts"]
    finally:
        app.process.terminate()
        app.process.wait(timeout=10)
