"""Mentions in channels, direct messages and the App Home tab."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from slack_bolt import App
from slack_sdk import WebClient

from bot import unanswered
from bot.answer import Citation
from handlers.blocks import answer_messages, home_view, unanswered_blocks
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

_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")


def question_of(text: str) -> str:
    """The message text without @-mentions of the bot (or anyone)."""
    return " ".join(_MENTION.sub(" ", text or "").split())


def _from_a_person(event: dict[str, Any]) -> bool:
    # Edits, deletions, joins and bot posts all carry a subtype or a bot_id.
    return not event.get("subtype") and not event.get("bot_id") and bool(event.get("user"))


def reply(client: WebClient, deps: Deps, event: dict[str, Any], thread_ts: str | None) -> None:
    """Answer a message once, even if it arrives as both a mention and a message event."""
    if not deps.store.claim(f"message:{event['channel']}:{event['ts']}"):
        return
    answer = deps.ask(question_of(event.get("text", "")))
    for message in answer_messages(answer):
        client.chat_postMessage(channel=event["channel"], thread_ts=thread_ts, **message)


def register(app: App, deps: Deps) -> None:
    def on_mention(event: dict[str, Any], client: WebClient) -> None:
        if _from_a_person(event):
            reply(client, deps, event, event.get("thread_ts") or event["ts"])

    def on_message(event: dict[str, Any], client: WebClient) -> None:
        if event.get("channel_type") == "im" and _from_a_person(event):
            reply(client, deps, event, event.get("thread_ts"))

    def on_home(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        kb = deps.engine.kb
        sources = sorted(kb.sources.values(), key=lambda s: s.published.start)
        view = home_view(deps.engine.stats(), [Citation.of(s) for s in sources])
        if event["user"] in editor_ids():
            view["blocks"] += unanswered_blocks(unanswered.grouped(deps.store.engine, limit=10))
        client.views_publish(user_id=event["user"], view=view)

    listeners = {"app_mention": on_mention, "message": on_message, "app_home_opened": on_home}
    for event_type in EVENTS:  # exactly what the manifest subscribes to
        app.event(event_type)(listeners[event_type])
