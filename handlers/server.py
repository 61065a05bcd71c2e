"""Running the app: HTTP on a production ASGI server (uvicorn), or Socket Mode.

HTTP serves three paths: /slack/events (events, commands and interactivity, with
Slack's request signature checked by Bolt), /healthz (the process is alive) and
/readyz (the fact base in service, its version and last reload error, and
whether the database answers). Bolt's dispatch runs in
a worker thread, so a slow database call never holds up other requests.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt import App
from slack_bolt.request import BoltRequest

from bot.reload import EngineHolder
from bot.store import Store

EVENTS_PATH = "/slack/events"
Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]

log = logging.getLogger("attache")


class SlackASGI:
    def __init__(self, app: App, store: Store, holder: EngineHolder | None = None) -> None:
        self.app = app
        self.store = store
        self.holder = holder

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        path, method = scope["path"], scope["method"]
        if path == "/healthz":
            await _reply(send, 200, {"status": "alive"})
        elif path == "/readyz":
            database = await asyncio.to_thread(self.store.ping)
            status = 200 if database else 503
            await _reply(
                send,
                status,
                {
                    "fact_base": self.holder.status() if self.holder else "loaded",
                    "database": "ok" if database else "unreachable",
                },
            )
        elif path == EVENTS_PATH and method == "POST":
            await self._slack(scope, receive, send)
        elif path == EVENTS_PATH:
            await _reply(send, 405, {"error": "use POST"})
        else:
            await _reply(send, 404, {"error": "not found"})

    async def _slack(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = bytearray()
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers: dict[str, list[str]] = {}
        for key, value in scope.get("headers", []):
            headers.setdefault(key.decode("latin-1").lower(), []).append(value.decode("latin-1"))
        request = BoltRequest(
            body=body.decode("utf-8", errors="replace"),
            query=scope.get("query_string", b"").decode("latin-1"),
            headers=headers,
        )
        response = await asyncio.to_thread(self.app.dispatch, request)
        out_headers = [
            (k.encode("latin-1"), v.encode("latin-1"))
            for k, values in response.headers.items()
            for v in (values if isinstance(values, list | tuple) else [values])
        ]
        await send(
            {"type": "http.response.start", "status": response.status, "headers": out_headers}
        )
        await send({"type": "http.response.body", "body": (response.body or "").encode("utf-8")})


async def _reply(send: Send, status: int, payload: dict[str, Any]) -> None:
    body = json.dumps(payload).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


def serve_http(
    app: App, store: Store, port: int, host: str = "0.0.0.0", holder: EngineHolder | None = None
) -> None:
    import uvicorn

    log.info("attache listening on http://%s:%d%s", host, port, EVENTS_PATH)
    asgi = SlackASGI(app, store, holder)
    uvicorn.run(asgi, host=host, port=port, log_level="warning", access_log=False)


def serve_socket(app: App, app_token: str) -> None:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    log.info("attache connecting to Slack in Socket Mode")
    SocketModeHandler(app, app_token=app_token, web_client=app.client).start()
