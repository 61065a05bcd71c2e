"""Mentions in channels, direct messages and the App Home tab."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

from slack_bolt import App
from slack_sdk import WebClient
from sqlalchemy.exc import SQLAlchemyError

from bot import conversations, unanswered
from bot.answer import Answer, Citation
from bot.workqueue import NewWork
from handlers.blocks import home_view, unanswered_blocks
from handlers.settings import editor_ids

if TYPE_CHECKING:
    from handlers.app import Deps

# Bolt event type -> the bot event the Slack app manifest subscribes to.
EVENTS = {
    "app_mention": "app_mention",
    "message": "message.im",
    "app_home_opened": "app_home_opened",
}
# Bot scopes these listeners need (declared in deploy/slack-app-manifest*.yaml).
SCOPES = {"app_mentions:read", "chat:write", "im:history"}

log = logging.getLogger("attache")

_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")


def question_of(text: str) -> str:
    """The message text without @-mentions of the bot (or anyone)."""
    return " ".join(_MENTION.sub(" ", text or "").split())


def from_a_person(event: dict[str, Any]) -> bool:
    """True for a message a person wrote (edits, deletions, joins and bot posts all
    carry a subtype or a bot_id)."""
    return not event.get("subtype") and not event.get("bot_id") and bool(event.get("user"))


def message_work(body: dict[str, Any]) -> NewWork | None:
    """A mention or a direct message from a person as queue work; None for other events.

    The key is the message itself (channel and ts): a Slack retry, a replay, and the
    same message arriving both as a mention and as a message event are one item."""
    event = body.get("event") or {}
    kind = event.get("type")
    if kind == "message" and event.get("channel_type") != "im":
        return None
    if kind not in ("app_mention", "message") or not from_a_person(event):
        return None
    if not event.get("channel") or not event.get("ts"):
        return None
    mention = kind == "app_mention"
    return NewWork(
        dedupe_key=f"message:{event['channel']}:{event['ts']}",
        kind="mention" if mention else "dm",
        payload=event,
        team_id=body.get("team_id"),
        channel_id=event["channel"],
        user_id=event.get("user"),
        thread_ts=(event.get("thread_ts") or event["ts"]) if mention else event.get("thread_ts"),
    )


def answer_message(event: dict[str, Any], deps: Deps) -> Answer:
    """The answer to a mention or a direct message (run by a queue worker), as a
    follow-up to the conversation's previous turn: the DM, or the thread of a mention."""
    direct = event.get("channel_type") == "im"
    key = conversations.key_of(event["channel"], event.get("thread_ts") or event["ts"], direct)
    try:
        context = conversations.load(deps.store.engine, key)
    except SQLAlchemyError as exc:  # answer as a new question rather than not at all
        log.warning("conversation context unavailable: %s", exc.__class__.__name__)
        context = None
    answer = deps.ask(question_of(event.get("text", "")), context=context)
    try:
        conversations.save(deps.store.engine, key, answer.context)
    except SQLAlchemyError as exc:
        log.warning("conversation context not kept: %s", exc.__class__.__name__)
    return answer


def register(app: App, deps: Deps) -> None:
    """Mentions and DMs are queued (over HTTP the server queues them before Bolt sees
    them; these listeners serve Socket Mode); App Home is answered directly."""

    def on_message(body: dict[str, Any]) -> None:
        work = message_work(body)
        if work is not None:
            deps.intake.accept(work)

    def on_home(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        kb = deps.engine.kb
        sources = sorted(kb.sources.values(), key=lambda s: s.published.start)
        view = home_view(deps.engine.stats(), [Citation.of(s) for s in sources])
        if event["user"] in editor_ids():
            view["blocks"] += unanswered_blocks(unanswered.grouped(deps.store.engine, limit=10))
        client.views_publish(user_id=event["user"], view=view)

    listeners = {"app_mention": on_message, "message": on_message, "app_home_opened": on_home}
    for event_type in EVENTS:  # exactly what the manifest subscribes to
        app.event(event_type)(listeners[event_type])
