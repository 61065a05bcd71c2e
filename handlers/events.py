"""Mentions in channels, direct messages and the App Home tab."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.answer import Citation
from handlers.blocks import answer_messages, home_view

if TYPE_CHECKING:
    from handlers.app import Deps

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
    answer = deps.engine.ask(question_of(event.get("text", "")))
    for message in answer_messages(answer):
        client.chat_postMessage(channel=event["channel"], thread_ts=thread_ts, **message)


def register(app: App, deps: Deps) -> None:
    @app.event("app_mention")
    def on_mention(event: dict[str, Any], client: WebClient) -> None:
        if _from_a_person(event):
            reply(client, deps, event, event.get("thread_ts") or event["ts"])

    @app.event("message")
    def on_message(event: dict[str, Any], client: WebClient) -> None:
        if event.get("channel_type") == "im" and _from_a_person(event):
            reply(client, deps, event, event.get("thread_ts"))

    @app.event("app_home_opened")
    def on_home(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        kb = deps.engine.kb
        citations = [
            Citation.of(s) for s in sorted(kb.sources.values(), key=lambda s: s.published.start)
        ]
        client.views_publish(user_id=event["user"], view=home_view(deps.engine.stats(), citations))
