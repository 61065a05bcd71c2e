"""build_app: the Bolt app, its Web API client, the queue and the listeners, wired together."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import App, BoltResponse
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import SQLAlchemyError

from bot import unanswered
from bot.answer import Answer
from bot.conversation import Context
from bot.engine import Engine
from bot.reload import EngineHolder
from bot.store import Store
from bot.workqueue import WorkQueue
from handlers import actions, commands, editing, events
from handlers.blocks import notice
from handlers.logs import one_line
from handlers.queue import SORRY, Delivery, Intake, Workers
from handlers.settings import Settings
from handlers.slack_api import web_client

log = logging.getLogger("attache")


@dataclass(frozen=True)
class Deps:
    """What the listeners need: the question engine (through its holder, which swaps
    in a reloaded fact base), the database and the queue's intake."""

    holder: EngineHolder
    store: Store
    intake: Intake

    @property
    def engine(self) -> Engine:
        """The engine in service now."""
        return self.holder.engine

    def ask(self, question: str, context: Context | None = None) -> Answer:
        """Answer with the engine in service (as a follow-up to `context`, the previous
        turn of the conversation, if any), keeping a question it could not answer
        (question, language and day only) for `attache report unanswered`."""
        engine = self.holder.engine
        answer = engine.ask(question, context=context)
        if unanswered.worth_keeping(answer):
            try:
                unanswered.record(
                    self.store.engine, question, unanswered.language(engine, question)
                )
            except SQLAlchemyError as exc:  # the answer matters more than the record
                log.warning("could not keep an unanswered question: %s", exc.__class__.__name__)
        return answer


def _answer_each_event_once(store: Store) -> Callable[..., BoltResponse | None]:
    """Slack retries an event it thinks failed; the database remembers each event_id,
    so a retry (or a delivery to another replica) is acknowledged and dropped. Mentions
    and DMs are left to the queue, whose key records them only once they are queued."""

    def middleware(body: dict, next: Callable[[], BoltResponse]) -> BoltResponse | None:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        queued_kind = (body.get("event") or {}).get("type") in ("app_mention", "message")
        if event_id and not queued_kind and not store.claim(f"event:{event_id}"):
            log.info("event %s was already handled; ignoring this delivery", event_id)
            return BoltResponse(status=200, body="")
        return next()

    return middleware


def _on_error(error: Exception, body: dict[str, Any], respond: Any) -> None:
    """Any listener's failure: the traceback in the log, a short apology to the user."""
    log.error("listener failed: %s", one_line(repr(error)), exc_info=error)
    if body.get("response_url"):
        try:
            respond(response_type="ephemeral", replace_original=False, **notice(SORRY))
        except (SlackApiError, OSError):
            log.warning("could not tell the user about the failure either")


@dataclass(frozen=True)
class Attache:
    """The running parts: the Bolt app, the queue's intake and the workers."""

    app: App
    store: Store
    intake: Intake
    workers: Workers


def build_app(
    settings: Settings, engine: Engine | EngineHolder, store: Store, socket_mode: bool = False
) -> Attache:
    """The Bolt app (requests over HTTP are verified by handlers.server before Bolt sees
    them) with the queue's intake and workers; the workers are not started yet."""
    app = App(
        client=web_client(settings),
        signing_secret=settings.signing_secret or None,
        request_verification_enabled=False,
        process_before_response=False,
        logger=log,
    )
    app.use(_answer_each_event_once(store))
    app.error(_on_error)
    queue = WorkQueue(store)
    intake = Intake(queue)
    holder = engine if isinstance(engine, EngineHolder) else EngineHolder(engine)
    deps = Deps(holder, store, intake)
    delivery = Delivery(
        client=app.client,
        answer_message=lambda event: events.answer_message(event, deps),
        queue=queue,
        settings=settings,
        answer_command=lambda command, client: commands.answer_command(command, deps, client),
    )
    workers = Workers(delivery, settings)
    intake.listeners.append(workers.wake)
    for module in (commands, events, actions, editing):
        module.register(app, deps)
    return Attache(app, store, intake, workers)
