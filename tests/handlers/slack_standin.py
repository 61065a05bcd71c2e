"""A local stand-in for Slack's Web API and response_url endpoint.

An HTTP server on 127.0.0.1 that answers the Web API methods attache calls the way
Slack does, records every call, and can be told to fail the next calls of a method or
of response_url ("response_url" as the method): an HTTP status (429 with Retry-After,
500), `ok: false` with an error code, a hang, or a connection reset.
"""

from __future__ import annotations

import json
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

BOT_USER = "UBOT"
BOT_ID = "BBOT"
TEAM = "T0001"


@dataclass
class Call:
    method: str  # Web API method, or "response_url"
    params: dict[str, Any]
    path: str
    ts: str = ""


@dataclass
class Failure:
    status: int
    retry_after: int | None
    remaining: int
    error: str | None = None  # the `error` reported (default: the stand-in's failure_error)
    reset: bool = False  # close the connection without answering


@dataclass
class SlackStandIn:
    calls: list[Call] = field(default_factory=list)
    failures: dict[str, Failure] = field(default_factory=dict)
    delays: dict[str, float] = field(default_factory=dict)  # method -> seconds, once
    hangs: dict[str, float] = field(default_factory=dict)  # method -> seconds, every call
    user_tz: str = "Asia/Ho_Chi_Minh"
    failure_error: str = "ratelimited"  # the `error` a failed call reports
    socket_url: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)
    _ts: int = 0

    def start(self) -> SlackStandIn:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                return

            def do_GET(self) -> None:
                path, _, query = self.path.partition("?")
                self._answer(path, {k: v[0] for k, v in parse_qs(query).items()})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8")
                kind = self.headers.get("Content-Type", "")
                params = (
                    json.loads(raw or "{}")
                    if "json" in kind
                    else {k: v[0] for k, v in parse_qs(raw).items()}
                )
                self._answer(self.path.partition("?")[0], params)

            def _answer(self, path: str, params: dict[str, Any]) -> None:
                status, headers, body = standin.handle(path, params)
                if status == 0:  # a connection reset: RST instead of an answer
                    self.connection.setsockopt(
                        socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                    )
                    self.close_connection = True
                    self.connection.close()
                    return
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                data = json.dumps(body).encode()
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    def response_url(self, name: str) -> str:
        return f"{self.url}/response/{name}"

    def fail_next(
        self, method: str, status: int = 429, retry_after: int | None = 1, times: int = 1
    ) -> None:
        with self.lock:
            self.failures[method] = Failure(status, retry_after, times)

    def error_next(self, method: str, error: str, times: int = 1) -> None:
        """Answer the next calls of `method` with 200 and `ok: false`, `error`."""
        with self.lock:
            self.failures[method] = Failure(200, None, times, error=error)

    def reset_next(self, method: str, times: int = 1) -> None:
        """Reset the connection of the next calls of `method` without answering."""
        with self.lock:
            self.failures[method] = Failure(0, None, times, reset=True)

    def hang(self, method: str, seconds: float) -> None:
        """Hold every call of `method` for `seconds` before answering (until reset)."""
        with self.lock:
            self.hangs[method] = seconds

    def delay_next(self, method: str, seconds: float) -> None:
        """Answer the next call of `method` only after `seconds` (it still takes effect)."""
        with self.lock:
            self.delays[method] = seconds

    def history(self, channel: str) -> list[dict[str, Any]]:
        """What a channel shows: the messages posted to it, newest first, with metadata."""
        posts = [
            c
            for c in self.calls
            if c.method == "chat.postMessage" and c.params.get("channel") == channel
        ]
        return [
            {
                "type": "message",
                "ts": c.ts,
                "thread_ts": c.params.get("thread_ts"),
                "text": c.params.get("text"),
                "metadata": c.params.get("metadata"),
            }
            for c in reversed(posts)
        ]

    def handle(
        self, path: str, params: dict[str, Any]
    ) -> tuple[int, dict[str, str], dict[str, Any]]:
        """(status, headers, body) for one call; status 0 means reset the connection."""
        method = "response_url" if path.startswith("/response/") else path.removeprefix("/api/")
        with self.lock:
            hang = self.hangs.get(method, 0.0)
        if hang:
            time.sleep(hang)
        with self.lock:
            failure = self.failures.get(method)
            if failure and failure.remaining > 0:
                failure.remaining -= 1
                label = "reset" if failure.reset else str(failure.status)
                self.calls.append(Call(f"{method} (failed {label})", params, path))
                if failure.reset:
                    return 0, {}, {}
                headers = {"Retry-After": str(failure.retry_after)} if failure.retry_after else {}
                return (
                    failure.status,
                    headers,
                    {"ok": False, "error": failure.error or self.failure_error},
                )
            self._ts += 1
            ts = f"{int(time.time())}.{self._ts:06d}"
            self.calls.append(Call(method, params, path, ts))
            delay = self.delays.pop(method, 0.0)
        if delay:
            time.sleep(delay)
        if method == "response_url":
            return 200, {}, {"ok": True}
        replies: dict[str, dict[str, Any]] = {
            "auth.test": {
                "user_id": BOT_USER,
                "bot_id": BOT_ID,
                "team_id": TEAM,
                "team": "Test",
                "user": "attache",
                "url": "https://test.slack.com/",
            },
            "chat.postMessage": {
                "channel": params.get("channel"),
                "ts": ts,
                "message": {"text": params.get("text"), "ts": ts},
            },
            "chat.postEphemeral": {"message_ts": ts},
            "views.publish": {
                "view": {
                    "id": "V1",
                    **(params.get("view") if isinstance(params.get("view"), dict) else {}),
                }
            },
            "apps.connections.open": {"url": self.socket_url},
            "users.info": {"user": {"id": params.get("user"), "tz": self.user_tz}},
            "conversations.history": {
                "messages": self.history(str(params.get("channel"))),
                "has_more": False,
            },
            "conversations.replies": {
                "messages": [
                    m
                    for m in self.history(str(params.get("channel")))
                    if m.get("thread_ts") == params.get("ts") or m["ts"] == params.get("ts")
                ],
                "has_more": False,
            },
        }
        return 200, {}, {"ok": True, **replies.get(method, {})}

    def of(self, method: str) -> list[dict[str, Any]]:
        with self.lock:
            return [c.params for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> list[dict[str, Any]]:
        """The calls of `method` once there are at least `count` (fails after `timeout`)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.of(method)
            if len(found) >= count:
                return found
            time.sleep(0.02)
        raise AssertionError(
            f"expected {count} {method} call(s), got {len(self.of(method))}: {self.calls}"
        )

    def settle(self, seconds: float = 0.5) -> None:
        """Give background listeners time to make calls they should not make."""
        time.sleep(seconds)

    def reset(self) -> None:
        with self.lock:
            self.calls.clear()
            self.failures.clear()
            self.delays.clear()
            self.hangs.clear()
            self.failure_error = "ratelimited"
