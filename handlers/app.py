"""build_app: the Bolt app, its Web API client and the listeners, wired together."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from sqlalchemy.exc import SQLAlchemyError

from bot import unanswered
from bot.answer import Answer
from bot.engine import Engine
from bot.reload import EngineHolder
from bot.store import Store
from handlers import actions, commands, editing, events
from handlers.settings import Settings

log = logging.getLogger("attache")


@dataclass(frozen=True)
class Deps:
    """What the listeners need: the question engine (through its holder, which swaps
    in a reloaded fact base) and the database."""

    holder: EngineHolder
    store: Store

    @property
    def engine(self) -> Engine:
        """The engine in service now."""
        return self.holder.engine

    def ask(self, question: str) -> Answer:
        """Answer with the engine in service, keeping a question it could not answer
        (question, language and day only) for `attache report unanswered`."""
        engine = self.holder.engine
        answer = engine.ask(question)
        if unanswered.worth_keeping(answer):
            try:
                unanswered.record(
                    self.store.engine, question, unanswered.language(engine, question)
                )
            except SQLAlchemyError as exc:  # the answer matters more than the record
                log.warning("could not keep an unanswered question: %s", exc.__class__.__name__)
        return answer


def web_client(settings: Settings) -> WebClient:
    """A Web API client that retries connection errors, 429s (honouring Retry-After)
    and 5xx responses, instead of slack_sdk's default of connection errors only."""
    return WebClient(
        token=settings.bot_token,
        base_url=settings.api_url or WebClient.BASE_URL,
        timeout=15,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=3),
            ServerErrorRetryHandler(max_retry_count=2),
        ],
    )


def _answer_each_event_once(store: Store) -> Callable[..., BoltResponse | None]:
    """Slack retries an event it thinks failed; the database remembers each event_id,
    so a retry (or a delivery to another replica) is acknowledged and dropped."""

    def middleware(body: dict, next: Callable[[], BoltResponse]) -> BoltResponse | None:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not store.claim(f"event:{event_id}"):
            log.info("event %s was already handled; ignoring this delivery", event_id)
            return BoltResponse(status=200, body="")
        return next()

    return middleware


def build_app(
    settings: Settings, engine: Engine | EngineHolder, store: Store, socket_mode: bool = False
) -> App:
    app = App(
        client=web_client(settings),
        signing_secret=settings.signing_secret or None,
        request_verification_enabled=not socket_mode,
        process_before_response=False,
        logger=log,
    )
    app.use(_answer_each_event_once(store))
    deps = Deps(engine if isinstance(engine, EngineHolder) else EngineHolder(engine), store)
    for module in (commands, events, actions, editing):
        module.register(app, deps)
    return app
