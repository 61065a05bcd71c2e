"""Slack end-to-end fixtures: the stand-in, `attache serve` on a free port, and
requests signed exactly as Slack signs them (v0 HMAC-SHA256 of v0:timestamp:body)."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.handlers.slack_standin import BOT_USER, TEAM, SlackStandIn

SECRET = "test-signing-secret"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sign(body: str, timestamp: int | None = None, secret: str = SECRET) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


@dataclass
class Reply:
    status: int
    body: str
    seconds: float


@dataclass
class RunningApp:
    url: str
    standin: SlackStandIn
    database: Path
    process: subprocess.Popen

    def post(
        self,
        body: str,
        content_type: str,
        headers: dict[str, str] | None = None,
        retry: int | None = None,
    ) -> Reply:
        all_headers = {"Content-Type": content_type, **(sign(body) if headers is None else headers)}
        if retry is not None:
            all_headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        request = urllib.request.Request(
            f"{self.url}/slack/events", data=body.encode(), headers=all_headers, method="POST"
        )
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return Reply(
                    response.status, response.read().decode(), time.perf_counter() - started
                )
        except urllib.error.HTTPError as err:
            return Reply(err.code, err.read().decode(), time.perf_counter() - started)

    def command(
        self, text: str, user: str = "U123", channel: str = "C123", response: str | None = None
    ) -> tuple[Reply, str]:
        name = response or uuid.uuid4().hex
        body = urlencode(
            {
                "token": "legacy",
                "team_id": TEAM,
                "team_domain": "test",
                "channel_id": channel,
                "channel_name": "general",
                "user_id": user,
                "user_name": "ana",
                "command": "/attache",
                "text": text,
                "api_app_id": "A0001",
                "is_enterprise_install": "false",
                "response_url": self.standin.response_url(name),
                "trigger_id": f"trigger-{name}",
            }
        )
        return self.post(body, "application/x-www-form-urlencoded"), f"/response/{name}"

    def event(
        self, event: dict[str, Any], event_id: str | None = None, retry: int | None = None
    ) -> Reply:
        envelope = {
            "token": "legacy",
            "team_id": TEAM,
            "api_app_id": "A0001",
            "event": event,
            "type": "event_callback",
            "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}",
            "event_time": int(time.time()),
            "authorizations": [
                {
                    "team_id": TEAM,
                    "user_id": BOT_USER,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
        }
        return self.post(json.dumps(envelope), "application/json", retry=retry)

    def action(
        self,
        action_id: str,
        value: str,
        user: str = "U123",
        channel: str = "C123",
        response: str | None = None,
    ) -> tuple[Reply, str]:
        name = response or uuid.uuid4().hex
        payload = {
            "type": "block_actions",
            "user": {"id": user, "username": "ana", "team_id": TEAM},
            "api_app_id": "A0001",
            "team": {"id": TEAM, "domain": "test"},
            "channel": {"id": channel, "name": "general"},
            "container": {
                "type": "message",
                "message_ts": "1700000000.000100",
                "channel_id": channel,
                "is_ephemeral": True,
            },
            "trigger_id": f"trigger-{name}",
            "response_url": self.standin.response_url(name),
            "actions": [
                {
                    "type": "button",
                    "action_id": action_id,
                    "block_id": "b1",
                    "value": value,
                    "action_ts": str(time.time()),
                }
            ],
        }
        body = urlencode({"payload": json.dumps(payload)})
        return self.post(body, "application/x-www-form-urlencoded"), f"/response/{name}"

    def responses(self, path: str, count: int = 1) -> list[dict[str, Any]]:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            found = [
                c.params
                for c in self.standin.calls
                if c.method == "response_url" and c.path == path
            ]
            if len(found) >= count:
                return found
            time.sleep(0.02)
        raise AssertionError(f"expected {count} response_url post(s) to {path}")


def start_app(
    standin: SlackStandIn,
    tmp: Path,
    extra_env: dict[str, str] | None = None,
    args: tuple[str, ...] = (),
    wait_http: bool = True,
    log: Path | None = None,
    port: int | None = None,
) -> RunningApp:
    """Start `attache serve` the way a user does; with `wait_http`, until /healthz answers.
    Its output goes to `log` when given (else to a pipe)."""
    port = port or free_port()
    tmp.mkdir(parents=True, exist_ok=True)
    database = tmp / "attache.sqlite3"
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": standin.api_url,
        "ATTACHE_DATABASE_URL": f"sqlite:///{database}",
        "PORT": str(port),
        **(extra_env or {}),
    }
    output = log.open("a") if log else None
    process = subprocess.Popen(
        [sys.executable, "-m", "handlers", "serve", *args],
        env=env,
        stdout=output or subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    if output:
        output.close()
    url = f"http://127.0.0.1:{port}"
    if not wait_http:
        return RunningApp(url, standin, database, process)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(
                f"attache serve exited: {process.stdout.read() if process.stdout else ''}"
            )
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1):
                return RunningApp(url, standin, database, process)
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError("attache serve did not become healthy in 30 s")


@pytest.fixture(scope="module")
def standin() -> Iterator[SlackStandIn]:
    server = SlackStandIn().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def slack_app(
    standin: SlackStandIn, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningApp]:
    running = start_app(standin, tmp_path_factory.mktemp("app"))
    yield running
    running.process.terminate()
    running.process.wait(timeout=10)


@pytest.fixture
def app(slack_app: RunningApp) -> RunningApp:
    slack_app.standin.reset()
    return slack_app
