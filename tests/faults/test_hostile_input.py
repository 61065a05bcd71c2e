"""Bad and hostile HTTP input is refused cheaply: never a 500, never a traceback, a
bounded log line for each refusal, and no work done for an unsigned request."""

from __future__ import annotations

import http.client
import json
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

from tests.handlers.conftest import RunningApp, sign, start_app
from tests.handlers.slack_standin import SlackStandIn

FORM = "application/x-www-form-urlencoded"


@pytest.fixture(scope="module")
def running(
    standin: SlackStandIn, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[RunningApp, Path]]:
    tmp = tmp_path_factory.mktemp("hostile")
    log = tmp / "attache.log"
    env = {"ATTACHE_HOST": "127.0.0.1", "ATTACHE_LOG_FORMAT": "json"}
    app = start_app(standin, tmp, env, log=log)
    yield app, log
    app.process.terminate()
    app.process.wait(timeout=30)


def raw(
    app: RunningApp, method: str, path: str, body: bytes = b"", headers: dict | None = None
) -> tuple[int, bytes]:
    """One HTTP request with exactly these bytes and headers; (status, body)."""
    where = urlsplit(app.url)
    connection = http.client.HTTPConnection(where.hostname, where.port, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_forged_5mb_bodies_are_refused_with_413_and_little_log(running, slack):
    """Promise: a body over 1 MB is refused with 413 before it is read, and five forged
    5 MB requests add under 10 KB of log, none of it their content."""
    app, log = running
    before = log.stat().st_size
    body = (b"x" * 1000 + b"\nFAKE LOG LINE\n") * 5000
    for _ in range(5):
        status, _ = raw(app, "POST", "/slack/events", body, {"Content-Type": FORM})
        assert status == 413

    # without a Content-Length (chunked), the count of bytes read decides
    def chunks() -> Iterator[bytes]:
        for _ in range(80):
            yield b"y" * 65536

    where = urlsplit(app.url)
    connection = http.client.HTTPConnection(where.hostname, where.port, timeout=10)
    try:
        connection.request(
            "POST",
            "/slack/events",
            body=chunks(),
            encode_chunked=True,
            headers={"Content-Type": FORM},
        )
        assert connection.getresponse().status == 413
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server answered 413 and closed before reading everything
    finally:
        connection.close()
    time.sleep(0.3)
    added = log.read_bytes()[before:]
    assert len(added) < 10_000 and b"FAKE LOG LINE" not in added and b"xxxx" not in added


BAD = [
    ("unsigned invalid JSON", b"{not json", {"Content-Type": "application/json"}, 401),
    (
        "non-numeric timestamp",
        b"{}",
        {
            "Content-Type": "application/json",
            "X-Slack-Request-Timestamp": "abc",
            "X-Slack-Signature": "v0=00",
        },
        401,
    ),
    (
        "huge timestamp",
        b"{}",
        {
            "Content-Type": "application/json",
            "X-Slack-Request-Timestamp": "9" * 40,
            "X-Slack-Signature": "v0=00",
        },
        401,
    ),
    (
        "missing signature",
        b"{}",
        {"Content-Type": "application/json", "X-Slack-Request-Timestamp": "SIGNED_NOW"},
        401,
    ),
    (
        "non-ASCII header",
        b"{}",
        {"Content-Type": "application/json", "X-Slack-Signature": "v0=\u00e9"},
        401,
    ),
    ("bad content length", b"", {"Content-Length": "abc"}, 400),
    (
        "superscript timestamp",
        b"{}",
        {"X-Slack-Request-Timestamp": "\u00b2", "X-Slack-Signature": "v0=0"},
        401,
    ),
]


@pytest.mark.parametrize(("name", "body", "headers", "status"), BAD, ids=[b[0] for b in BAD])
def test_unsigned_or_malformed_requests_never_get_a_500(
    running, slack, name, body, headers, status
):
    """Promise: unsigned or malformed requests get 4xx (401 for any signature or
    timestamp problem), never a 500 or a traceback, and reach nothing."""
    app, log = running
    headers = {k: (str(int(time.time())) if v == "SIGNED_NOW" else v) for k, v in headers.items()}
    try:
        got, _ = raw(
            app,
            "POST",
            "/slack/events",
            body,
            {k: v.encode("utf-8").decode("latin-1") for k, v in headers.items()},
        )
    except http.client.HTTPException:
        return  # refused at the HTTP layer itself: no 500 either
    assert 400 <= got < 500 and (got == status or status == 400)
    slack.settle(0.2)
    assert slack.calls == [] and b"Traceback" not in log.read_bytes()


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json", "{not json"),
        ("application/json", "[1, 2]"),
        ("application/json", '{"type": "event_callback", "event": "not an object"}'),
        (FORM, "payload=%7Bnot+json"),
        (FORM, "payload=%5B%5D"),
        (FORM, "nothing=here"),
        (FORM, "command=%2Fattache&text=%FF%FE"),
        (
            "application/json",
            json.dumps({"type": "event_callback", "event": {"type": "app_mention"}}),
        ),
    ],
)
def test_signed_but_invalid_bodies_get_400_or_are_ignored(running, slack, content_type, body):
    """Promise: a correctly signed body that does not parse gets 400; one that parses
    but makes no sense is acknowledged and ignored; never a 500 or a traceback."""
    app, log = running
    reply = app.post(body, content_type)
    assert reply.status in (200, 400), reply
    assert b"Traceback" not in log.read_bytes()


def test_health_endpoints_answer_get_and_head_only(running, slack):
    """Promise: /healthz and /readyz answer GET and HEAD; anything else is 405."""
    app, _ = running
    for path in ("/healthz", "/readyz"):
        assert raw(app, "GET", path)[0] == 200
        status, body = raw(app, "HEAD", path)
        assert status == 200 and body == b""
        for method in ("POST", "DELETE", "PUT"):
            assert raw(app, method, path)[0] == 405


def test_user_text_in_logs_cannot_forge_a_line(running, slack):
    """Promise: user text reaching the log has its newlines escaped."""
    app, log = running
    slack.error_next("chat.postMessage", "not_in_channel")
    ts = f"{time.time():.6f}"
    app.event(
        {
            "type": "app_mention",
            "user": "U1\nFORGED ERROR line",
            "text": "<@UBOT> hi",
            "ts": ts,
            "channel": "CLOG",
        }
    )
    slack.wait_for("chat.postMessage (failed 200)")
    time.sleep(0.5)
    lines = log.read_text().splitlines()
    assert not any(line.startswith("FORGED") for line in lines)


def test_metrics_are_served(running, slack):
    """Promise: /metrics serves Prometheus text with the request and queue figures."""
    app, _ = running
    app.command("who is Marc Knapper?")
    status, body = raw(app, "GET", "/metrics")
    text = body.decode()
    assert status == 200
    for name in (
        "attache_requests_total",
        "attache_ack_seconds_bucket",
        "attache_queue_depth",
        "attache_slack_calls_total",
        "attache_fact_base_info",
    ):
        assert name in text, name


def test_signed_request_with_a_bad_payload_is_one_bounded_line(running, slack):
    """Promise: a refused request logs one line, bounded, never its body."""
    app, log = running
    before = log.stat().st_size
    body = urlencode({"command": "/attache", "text": "secret question\n" * 2000})
    headers = sign(body, secret="wrong")
    assert app.post(body, FORM, headers=headers).status == 401
    time.sleep(0.2)
    added = log.read_bytes()[before:]
    assert added.count(b"\n") == 1 and len(added) < 500 and b"secret question" not in added


def test_logs_are_json_lines_and_the_bind_address_is_the_one_set(running, slack):
    """Promise: with ATTACHE_LOG_FORMAT=json every log line (uvicorn's included) is one
    JSON object, whatever was sent; ATTACHE_HOST sets the address attache listens on."""
    app, log = running
    raw(app, "GET", "/nowhere")
    raw(app, "POST", "/slack/events", b"{}", {"Content-Type": "application/json"})
    records = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    assert records and all({"time", "level", "logger", "message"} <= r.keys() for r in records)
    assert any("listening on http://127.0.0.1:" in r["message"] for r in records)
