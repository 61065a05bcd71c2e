"""`attache serve --socket` against local stand-ins for Slack's Web API and WebSocket."""

import time
from collections.abc import Iterator

import pytest

from tests.handlers.conftest import RunningApp, start_app
from tests.handlers.slack_standin import BOT_USER, TEAM, SlackStandIn
from tests.handlers.socket_standin import SocketStandIn


@pytest.fixture(scope="module")
def socket_app(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[RunningApp, SocketStandIn]]:
    websocket = SocketStandIn().start()
    standin = SlackStandIn(socket_url=websocket.url).start()
    tmp = tmp_path_factory.mktemp("socket")
    running = start_app(
        standin,
        tmp,
        {"SLACK_APP_TOKEN": "xapp-test", "SLACK_SIGNING_SECRET": ""},
        args=("--socket",),
        wait_http=False,
    )
    assert websocket.connected.wait(30), "attache did not open a Socket Mode connection"
    yield running, websocket
    running.process.terminate()
    running.process.wait(timeout=10)
    standin.stop()


def test_slash_command_over_socket_mode(socket_app):
    app, websocket = socket_app
    envelope = {
        "envelope_id": "env-command-1",
        "type": "slash_commands",
        "accepts_response_payload": True,
        "payload": {
            "team_id": TEAM,
            "channel_id": "C123",
            "user_id": "U123",
            "command": "/attache",
            "text": "who is Marc Knapper?",
            "api_app_id": "A0001",
            "response_url": app.standin.response_url("socket-command"),
            "trigger_id": "t1",
        },
    }
    websocket.send(envelope)
    websocket.wait_ack("env-command-1")
    (message,) = app.responses("/response/socket-command")
    assert message["response_type"] == "ephemeral" and "Ambassador" in message["text"]


def test_mention_over_socket_mode(socket_app):
    app, websocket = socket_app
    ts = f"{time.time():.6f}"
    envelope = {
        "envelope_id": "env-event-1",
        "type": "events_api",
        "accepts_response_payload": False,
        "retry_attempt": 0,
        "retry_reason": "",
        "payload": {
            "team_id": TEAM,
            "api_app_id": "A0001",
            "type": "event_callback",
            "event_id": "EvSOCKET1",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}],
            "event": {
                "type": "app_mention",
                "user": "U123",
                "text": "<@UBOT> what is ADMM+?",
                "ts": ts,
                "channel": "C555",
                "event_ts": ts,
            },
        },
    }
    websocket.send(envelope)
    websocket.wait_ack("env-event-1")
    (post,) = app.standin.wait_for("chat.postMessage")
    assert post["channel"] == "C555" and post["thread_ts"] == ts and "ASEAN" in post["text"]
