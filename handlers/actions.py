"""Buttons: share an answer in the channel, feedback, App Home examples."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from handlers.blocks import ASK_EXAMPLE, SHARE, VOTE_DOWN, VOTE_UP, answer_messages, notice

if TYPE_CHECKING:
    from handlers.app import Deps

THANKS = "Thanks for the feedback: it helps us improve attache's answers."


def _payload(action: dict[str, Any]) -> dict[str, Any]:
    try:
        value = json.loads(action.get("value") or "{}")
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


def register(app: App, deps: Deps) -> None:
    @app.action(SHARE)
    def on_share(ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
        ack()
        question = str(_payload(action).get("q", ""))
        answer = deps.engine.ask(question)
        for message in answer_messages(answer, asked_by=body["user"]["id"]):
            respond(response_type="in_channel", replace_original=False, **message)
        respond(delete_original=True)

    @app.action(re.compile(f"^({VOTE_UP}|{VOTE_DOWN})$"))
    def on_vote(ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
        ack()
        data = _payload(action)
        deps.store.record_feedback(
            user_id=body["user"]["id"],
            channel_id=(body.get("channel") or {}).get("id"),
            question=str(data.get("q", "")),
            fact_ids=[str(f) for f in data.get("f", [])],
            vote=1 if action["action_id"] == VOTE_UP else -1,
        )
        respond(response_type="ephemeral", replace_original=False, **notice(THANKS))

    @app.action(re.compile(f"^{ASK_EXAMPLE}_\\d+$"))
    def on_example(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        for message in answer_messages(deps.ask(action.get("value", ""))):
            client.chat_postMessage(channel=body["user"]["id"], **message)
