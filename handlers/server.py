"""Running the app: HTTP on a production ASGI server (uvicorn), or Socket Mode.

HTTP serves /slack/events (events, commands and interactivity), /healthz (the process
is alive), /readyz (the database answers, takes a write and is at the newest schema;
with the fact base in service: its version, size, load time and last reload error)
and /metrics (Prometheus).

A Slack request is checked cheaply, in this order, before anything else is done with
it: its size (over 1 MB is refused with 413 before it is read), its timestamp and
signature (401), then its body (400 when it does not parse). A slash command, mention
or DM is then written to the queue with one bounded database insert and acknowledged;
no Web API call is ever on this path. Everything else (buttons, App Home) goes to Bolt.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import logging
import signal
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl

import prometheus_client
from slack_bolt import App
from slack_bolt.request import BoltRequest
from slack_sdk.signature import SignatureVerifier
from sqlalchemy.exc import SQLAlchemyError

from bot.reload import EngineHolder
from bot.store import Store, reason
from bot.workqueue import NewWork
from handlers import metrics
from handlers.app import Attache
from handlers.commands import UNAVAILABLE, command_work
from handlers.events import message_work
from handlers.logs import one_line
from handlers.settings import Settings

EVENTS_PATH = "/slack/events"
MAX_BODY = 1024 * 1024  # Slack's own payloads are far smaller
SIGNATURE_WINDOW = 5 * 60  # seconds either side of now a signed request is accepted
ACK_BUDGET = 2.0  # seconds the queue insert may take before the request is answered anyway
READY_BUDGET = 2.0  # seconds /readyz waits for the database
Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]

log = logging.getLogger("attache")


class Refused(Exception):
    """A request refused before any work: its status and a short reason for the log."""

    def __init__(self, status: int, why: str) -> None:
        super().__init__(why)
        self.status = status


class Readiness:
    """The database check behind /readyz, in one thread of its own: it never blocks
    the server, and a check stuck on a dead connection is not started twice."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.pool = concurrent.futures.ThreadPoolExecutor(4, thread_name_prefix="attache-readyz")
        self.running: concurrent.futures.Future[str | None] | None = None
        self.started = 0.0

    async def problem(self) -> str | None:
        """Why attache is not ready (None when it is), within READY_BUDGET seconds."""
        stuck = self.running is not None and not self.running.done()
        if stuck and time.monotonic() - self.started < 10:
            return "database: did not answer within 2 s"
        if stuck:  # abandon it (its thread ends when the connection does) and start afresh
            self.store.engine.dispose(close=False)
        self.running = self.pool.submit(self.store.unready)
        self.started = time.monotonic()
        try:
            return await asyncio.wait_for(asyncio.wrap_future(self.running), READY_BUDGET)
        except TimeoutError:
            return "database: did not answer within 2 s"


class SlackASGI:
    """The ASGI application attache serves over HTTP."""

    def __init__(
        self, attache: Attache, settings: Settings, holder: EngineHolder | None = None
    ) -> None:
        self.holder = holder
        self.app: App = attache.app
        self.store = attache.store
        self.intake = attache.intake
        self.verifier = SignatureVerifier(settings.signing_secret)
        self.readiness = Readiness(attache.store)
        # Queue inserts and replay checks: bounded, so a stalled database cannot eat threads.
        self.database = concurrent.futures.ThreadPoolExecutor(16, thread_name_prefix="attache-ack")
        self.dispatch = concurrent.futures.ThreadPoolExecutor(16, thread_name_prefix="attache-bolt")
        self.shutting_down = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        path, method = scope["path"], scope["method"]
        if path in ("/healthz", "/readyz", "/metrics") and method not in ("GET", "HEAD"):
            await _reply(send, 405, {"error": "use GET"}, allow="GET, HEAD")
        elif path == "/healthz":
            await _reply(send, 200, {"status": "alive"}, head=method == "HEAD")
        elif path == "/readyz":
            await self._ready(send, head=method == "HEAD")
        elif path == "/metrics":
            text = prometheus_client.generate_latest()
            await _send(
                send, 200, b"" if method == "HEAD" else text, prometheus_client.CONTENT_TYPE_LATEST
            )
        elif path == EVENTS_PATH and method == "POST":
            await self._slack(scope, receive, send)
        elif path == EVENTS_PATH:
            await _reply(send, 405, {"error": "use POST"}, allow="POST")
        else:
            await _reply(send, 404, {"error": "not found"})

    async def _ready(self, send: Send, head: bool) -> None:
        problem = "shutting down" if self.shutting_down else await self.readiness.problem()
        payload = {
            "fact_base": self.holder.status() if self.holder else "loaded",
            "database": "ok" if problem is None else problem,
        }
        await _reply(send, 200 if problem is None else 503, payload, head=head)

    async def _slack(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        headers = _headers(scope)
        try:
            body = await _read_body(headers, receive)
            self._verify(headers, body)
            kind, parsed = _parse(headers.get("content-type", ""), body)
        except Refused as exc:
            client = (scope.get("client") or ("?", 0))[0]
            log.warning("refused a request from %s: %s", client, one_line(str(exc), 200))
            metrics.REQUESTS.labels("unknown", f"refused_{exc.status}").inc()
            await _reply(send, exc.status, {"error": str(exc)[:100]})
            return
        request_key = f"{headers['x-slack-request-timestamp']}:{headers['x-slack-signature']}"
        try:
            status, payload = await self._route(kind, parsed, body, headers, request_key)
        except Exception as exc:  # a signed request of a shape nothing here expects
            log.error("could not handle a signed %s request: %s", kind, one_line(repr(exc), 300))
            status, payload = 400, json.dumps({"error": "could not handle this request"})
        metrics.ACK_SECONDS.labels(kind).observe(time.perf_counter() - started)
        await _send(send, status, payload.encode(), "application/json" if payload else "text/plain")

    def _verify(self, headers: dict[str, str], body: bytes) -> None:
        timestamp = headers.get("x-slack-request-timestamp", "")
        signature = headers.get("x-slack-signature", "")
        if not (timestamp.isascii() and timestamp.isdigit()) or len(timestamp) > 12:
            raise Refused(401, "missing or malformed X-Slack-Request-Timestamp")
        if abs(time.time() - int(timestamp)) > SIGNATURE_WINDOW:
            raise Refused(401, "stale X-Slack-Request-Timestamp (over 5 minutes off)")
        if not signature.startswith("v0=") or len(signature) > 100:
            raise Refused(401, "missing or malformed X-Slack-Signature")
        if not self.verifier.is_valid(body, timestamp, signature):
            raise Refused(401, f"bad signature ({len(body)} bytes)")

    async def _route(
        self, kind: str, parsed: dict[str, Any], body: bytes, headers: dict[str, str], key: str
    ) -> tuple[int, str]:
        """The acknowledgement: queue a command or message, or hand the request to Bolt."""
        if kind == "event" and parsed.get("type") == "url_verification":
            return 200, json.dumps({"challenge": str(parsed.get("challenge", ""))})
        if kind == "command" and parsed.get("ssl_check"):
            return 200, ""
        work: NewWork | None = None
        if kind == "command":
            work = command_work(parsed, key)
        elif kind == "event":
            work = message_work(parsed)
        if work is not None:
            return await self._queue(work)
        if kind == "event" and (parsed.get("event") or {}).get("type") != "app_home_opened":
            metrics.REQUESTS.labels("event", "ignored").inc()
            return 200, ""
        if not await self._first_time(key):
            metrics.REQUESTS.labels(kind, "duplicate").inc()
            return 200, ""
        return await self._bolt(kind, body, headers)

    async def _queue(self, work: NewWork) -> tuple[int, str]:
        future = self.database.submit(self.intake.accept, work)
        try:
            await asyncio.wait_for(asyncio.wrap_future(future), ACK_BUDGET)
        except (TimeoutError, SQLAlchemyError) as exc:
            future.cancel()  # not started yet: never insert what we said was not taken
            why = "no answer within 2 s" if isinstance(exc, TimeoutError) else reason(exc)
            log.warning("could not queue a %s (%s); %s", work.kind, why, _what_next(work))
            metrics.REQUESTS.labels(work.kind, "not_queued").inc()
            if work.kind == "command":  # Slack does not retry commands: tell the person
                return 200, json.dumps({"response_type": "ephemeral", "text": UNAVAILABLE})
            return 503, json.dumps({"error": "not queued; retry"})  # Slack retries events
        return 200, ""

    async def _first_time(self, key: str) -> bool:
        """False when this exact signed request was already handled (a replay)."""
        future: concurrent.futures.Future[Any] = self.database.submit(
            self.store.claim, f"request:{key}"
        )
        try:
            return bool(await asyncio.wait_for(asyncio.wrap_future(future), ACK_BUDGET))
        except (TimeoutError, SQLAlchemyError):
            return True  # buttons and App Home work without the database

    async def _bolt(self, kind: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
        request = BoltRequest(
            body=body.decode("utf-8", errors="replace"),
            headers={k: [v] for k, v in headers.items()},
        )
        future = self.dispatch.submit(self.app.dispatch, request)
        try:
            response = await asyncio.wait_for(asyncio.wrap_future(future), ACK_BUDGET)
        except TimeoutError:  # Bolt's listeners are all busy: acknowledge; it runs when free
            metrics.REQUESTS.labels(kind, "acknowledged_late").inc()
            return 200, ""
        metrics.REQUESTS.labels(kind, "dispatched" if response.status < 400 else "failed").inc()
        return response.status, response.body or ""

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                self.shutting_down = True
                await send({"type": "lifespan.shutdown.complete"})
                return


def _what_next(work: NewWork) -> str:
    return "the user was told to ask again" if work.kind == "command" else "Slack will retry it"


def _headers(scope: Scope) -> dict[str, str]:
    headers: dict[str, str] = {}
    for key, value in scope.get("headers", []):
        headers[key.decode("latin-1").lower()] = value.decode("latin-1")
    return headers


async def _read_body(headers: dict[str, str], receive: Receive) -> bytes:
    """The body, refused with 413 as soon as it is known to exceed MAX_BODY."""
    declared = headers.get("content-length", "")
    if declared and not (declared.isascii() and declared.isdigit()):
        raise Refused(400, "malformed Content-Length")
    if declared and int(declared) > MAX_BODY:
        raise Refused(413, f"body over 1 MB ({declared[:20]} bytes declared)")
    body = bytearray()
    while True:
        message = await receive()
        body += message.get("body", b"")
        if len(body) > MAX_BODY:
            raise Refused(413, "body over 1 MB")
        if not message.get("more_body"):
            return bytes(body)


def _parse(content_type: str, body: bytes) -> tuple[str, dict[str, Any]]:
    """What a signed request is (command, event, interaction) and its fields; 400 when
    the body does not parse."""
    try:
        text = body.decode("utf-8")
        if "json" in content_type:
            parsed = json.loads(text)
            if not isinstance(parsed, dict) or not isinstance(parsed.get("event", {}), dict):
                raise ValueError("not an event object")
            return "event", parsed
        form = dict(parse_qsl(text, keep_blank_values=True))
        if "payload" in form:
            payload = json.loads(form["payload"])
            if not isinstance(payload, dict):
                raise ValueError("payload is not an object")
            return "action", payload
        if form.get("command") or form.get("ssl_check"):
            return "command", form
    except (UnicodeDecodeError, ValueError) as exc:
        raise Refused(400, f"signed body does not parse ({exc.__class__.__name__})") from None
    raise Refused(400, "signed body is neither an event, a command nor an interaction")


async def _send(send: Send, status: int, body: bytes, content_type: str, **extra: str) -> None:
    headers = [
        (b"content-type", content_type.encode()),
        (b"content-length", str(len(body)).encode()),
    ]
    headers += [(k.replace("_", "-").encode(), v.encode()) for k, v in extra.items()]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _reply(
    send: Send, status: int, payload: dict[str, Any], head: bool = False, **extra: str
) -> None:
    body = json.dumps(payload).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    headers += [(k.encode(), v.encode()) for k, v in extra.items()]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if head else body})


def serve_http(attache: Attache, settings: Settings, holder: EngineHolder | None = None) -> None:
    """Serve until SIGTERM or SIGINT; then stop accepting, let the workers finish what
    they hold for ATTACHE_SHUTDOWN_GRACE seconds, and leave the rest queued."""
    import uvicorn

    asgi = SlackASGI(attache, settings, holder)
    config = uvicorn.Config(
        asgi,
        host=settings.host,
        port=settings.port,
        log_level="warning",
        log_config=None,  # uvicorn's lines go through attache's handler (text or JSON)
        access_log=False,
        timeout_graceful_shutdown=max(1, int(min(settings.shutdown_grace, 5))),
    )
    attache.workers.resume_orphans()
    attache.workers.start()
    # uvicorn handles SIGTERM/SIGINT while serving, then raises the signal again for the
    # handler that was there before: this one, so that the workers get their grace.
    stop_signals = (signal.SIGTERM, signal.SIGINT)
    for number in stop_signals:
        signal.signal(number, lambda *_: None)
    log.info("attache listening on http://%s:%d%s", settings.host, settings.port, EVENTS_PATH)
    uvicorn.Server(config).run()
    log.info("stopping: finishing answers in hand for up to %.0f s", settings.shutdown_grace)
    attache.workers.stop(settings.shutdown_grace)
    log.info("stopped")


def serve_socket(attache: Attache, app_token: str, settings: Settings) -> None:
    """Connect with Socket Mode until SIGTERM or SIGINT; the same queue and workers
    answer, and get the same grace to finish what they hold."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    attache.workers.resume_orphans()
    attache.workers.start()
    stop = threading.Event()
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_: stop.set())
    log.info("attache connecting to Slack in Socket Mode")
    handler = SocketModeHandler(attache.app, app_token=app_token, web_client=attache.app.client)
    handler.connect()
    stop.wait()
    log.info("stopping: finishing answers in hand for up to %.0f s", settings.shutdown_grace)
    handler.close()
    attache.workers.stop(settings.shutdown_grace)
    log.info("stopped")
