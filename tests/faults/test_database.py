"""The database failing: /readyz says so within seconds and recovers by itself, start-up
gives up in time with one line, passwords are never printed, read-only is not ready."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from sqlalchemy.engine import make_url

from bot.store import Store
from tests.faults.conftest import answers_by_thread, mention, wait_until
from tests.faults.tcp_proxy import BlackholeProxy
from tests.handlers.conftest import free_port, start_app

PASSWORD = "Sup3r-S3cret-pw"


def ready(url: str) -> tuple[int, dict, float]:
    """GET /readyz: (status, body, seconds taken)."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(f"{url}/readyz", timeout=10) as response:
            return response.status, json.loads(response.read()), time.monotonic() - started
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read()), time.monotonic() - started


def serve(env: dict[str, str], timeout: float = 40) -> tuple[subprocess.CompletedProcess, float]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "ATTACHE_D"))}
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "handlers", "serve"],
        env={**base, "SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return result, time.monotonic() - started


def test_blackholed_postgres_is_not_ready_within_5_s_and_recovers(
    slack, tmp_path, postgres_database
):
    """Promise: when PostgreSQL stops answering, /readyz says 503 (with the reason) within
    5 s, commands are still acknowledged within 3 s, mentions get 503 so Slack retries;
    when it answers again, /readyz is 200 and work flows, without a restart."""
    url = make_url(postgres_database)
    proxy = BlackholeProxy(url.host or "127.0.0.1", url.port or 5432).start()
    proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    env = {"ATTACHE_DATABASE_URL": proxied, "ATTACHE_DB_TIMEOUT": "2"}
    app = start_app(slack, tmp_path, env, log=tmp_path / "attache.log")
    try:
        assert ready(app.url)[0] == 200
        proxy.blackhole()
        status, body, seconds = ready(app.url)
        assert status == 503 and "database" in body["database"] and seconds < 5
        reply, _ = app.command("who is Marc Knapper?")
        assert reply.status == 200 and reply.seconds < 3 and "could not take" in reply.body
        event = mention(1, channel="CPG")
        assert app.event(event, event_id="EvPG1").status == 503
        proxy.restore()
        assert wait_until(lambda: ready(app.url)[0] == 200, timeout=20, every=0.5)
        assert app.event(event, event_id="EvPG1", retry=1).status == 200  # Slack's retry
        assert wait_until(lambda: answers_by_thread(slack, "CPG")[event["ts"]] == 1, timeout=20)
    finally:
        proxy.restore()
        app.process.terminate()
        app.process.wait(timeout=30)
        proxy.stop()
    assert b"Traceback" not in (tmp_path / "attache.log").read_bytes()


def test_work_resumes_after_postgres_lost_packets_for_good(slack, tmp_path, postgres_database):
    """Promise: when PostgreSQL silently lost what was in flight (connections that will
    never answer), queued work is answered again once it is back, without a restart."""
    url = make_url(postgres_database)
    proxy = BlackholeProxy(url.host or "127.0.0.1", url.port or 5432).start()
    proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    env = {"ATTACHE_DATABASE_URL": proxied, "ATTACHE_DB_TIMEOUT": "1"}
    app = start_app(slack, tmp_path, env, log=tmp_path / "attache.log")
    try:
        proxy.blackhole(drop=True)
        time.sleep(2)  # every worker's poll is now waiting for an answer that never comes
        proxy.restore()
        event = mention(1, channel="CLOST")
        assert wait_until(lambda: app.event(event, event_id="EvLOST").status == 200, 20, 1)
        assert wait_until(lambda: answers_by_thread(slack, "CLOST")[event["ts"]] == 1, 30)
        assert ready(app.url)[0] == 200
    finally:
        proxy.restore()
        app.process.terminate()
        app.process.wait(timeout=30)
        proxy.stop()


def test_unreachable_database_exits_within_20_s_in_one_line_without_the_password():
    """Promise: starting against a database that refuses connections exits within 20 s
    with one line naming the cause; the password is never printed."""
    database = f"postgresql+psycopg://attache:{PASSWORD}@127.0.0.1:{free_port()}/attache"
    result, seconds = serve({"ATTACHE_DATABASE_URL": database})
    assert result.returncode == 2 and seconds < 20
    assert PASSWORD not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if line.startswith("attache:")]
    assert len(lines) == 1 and "ATTACHE_DATABASE_URL" in lines[0] and "***" in lines[0]


def test_silent_database_exits_within_20_s_or_waits_with_attache_db_wait(tmp_path):
    """Promise: a database that accepts connections but never answers makes start-up
    give up within 20 s with one line (password masked); with ATTACHE_DB_WAIT set it
    waits instead, saying so every few seconds."""
    proxy = BlackholeProxy("127.0.0.1", free_port()).start()
    proxy.blackhole()
    database = f"postgresql+psycopg://attache:{PASSWORD}@127.0.0.1:{proxy.port}/attache"
    try:
        result, seconds = serve({"ATTACHE_DATABASE_URL": database, "ATTACHE_DB_TIMEOUT": "2"})
        assert result.returncode == 2 and seconds < 20, result.stderr
        assert PASSWORD not in result.stderr and "Traceback" not in result.stderr
        with pytest.raises(subprocess.TimeoutExpired) as waited:
            serve(
                {
                    "ATTACHE_DATABASE_URL": database,
                    "ATTACHE_DB_TIMEOUT": "2",
                    "ATTACHE_DB_WAIT": "1",
                },
                timeout=12,
            )
        output = (
            (waited.value.stderr or b"").decode()
            if isinstance(waited.value.stderr, bytes)
            else (waited.value.stderr or "")
        )
        assert "waiting for the database" in output and PASSWORD not in output
    finally:
        proxy.stop()


def test_read_only_sqlite_is_reported_not_ready(slack, tmp_path):
    """Promise: a SQLite database that cannot be written is not ready (503 with the
    reason), and a mention is refused with 503 (so Slack retries) rather than lost."""
    path = tmp_path / "ro.sqlite3"
    Store(f"sqlite:///{path}").migrate()
    env = {"ATTACHE_DATABASE_URL": f"sqlite:///file:{path}?mode=ro&uri=true"}
    app = start_app(slack, tmp_path, env)
    try:
        status, body, _ = ready(app.url)
        assert status == 503 and "readonly" in body["database"]
        assert app.event(mention(1, channel="CRO")).status == 503
    finally:
        app.process.terminate()
        app.process.wait(timeout=30)
