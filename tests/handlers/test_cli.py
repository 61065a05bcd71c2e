"""`attache serve` refuses to start, in one line and exit code 2, when it cannot run."""

import os
import subprocess
import sys

import pytest

BASE = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}


def run_due(now: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "handlers", "digest", "run-due", "--now", now]
    return subprocess.run(command, env={**BASE, **env}, capture_output=True, text=True, timeout=60)


def serve(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "handlers", "serve", *args],
        env={**BASE, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("args", "env", "variable", "where"),
    [
        ((), {}, "SLACK_BOT_TOKEN", "OAuth & Permissions"),
        ((), {"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET", "App Credentials"),
        (("--socket",), {"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_APP_TOKEN", "App-Level Tokens"),
    ],
)
def test_missing_secret_names_the_variable_and_where_to_find_it(args, env, variable, where):
    result = serve(*args, **env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and variable in lines[0] and where in lines[0]


def test_unreachable_slack_is_one_line(tmp_path):
    result = serve(
        SLACK_BOT_TOKEN="xoxb-1",
        SLACK_SIGNING_SECRET="s",
        SLACK_API_URL="http://127.0.0.1:9/api/",
        ATTACHE_DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    assert result.returncode == 2
    assert (
        "cannot reach Slack at http://127.0.0.1:9/api/" in result.stderr
        and "Traceback" not in result.stderr
    )


def test_unusable_database_is_one_line():
    result = serve(
        SLACK_BOT_TOKEN="xoxb-1",
        SLACK_SIGNING_SECRET="s",
        ATTACHE_DATABASE_URL="postgresql+psycopg://nobody@127.0.0.1:9/none",
    )
    assert result.returncode == 2
    assert "ATTACHE_DATABASE_URL" in result.stderr and "Traceback" not in result.stderr


def test_bad_port():
    result = serve(SLACK_BOT_TOKEN="xoxb-1", SLACK_SIGNING_SECRET="s", PORT="http")
    assert result.returncode == 2 and "PORT must be a port number" in result.stderr


def test_run_due_posts_what_is_due_once(tmp_path):
    from bot.store import Store
    from tests.handlers.slack_standin import SlackStandIn

    standin = SlackStandIn().start()
    database = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    store = Store(database)
    store.migrate()
    store.subscribe("CRUN", "08:00", "Asia/Ho_Chi_Minh", False, "U1")
    env = {
        "SLACK_BOT_TOKEN": "xoxb-1",
        "SLACK_SIGNING_SECRET": "s",
        "SLACK_API_URL": standin.api_url,
        "ATTACHE_DATABASE_URL": database,
    }
    try:
        first = run_due("2025-12-18T08:05:00+07:00", env)
        again = run_due("2025-12-18T09:00:00+07:00", env)
    finally:
        standin.stop()
    assert first.returncode == 0 and "CRUN 2025-12-18 posted" in first.stdout
    assert again.returncode == 0 and "0 digest(s) handled" in again.stdout
    assert len(standin.of("chat.postMessage")) == 1
