"""The /attache slash command: questions, help and timelines."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_bolt import Ack, App, Respond

from handlers.blocks import answer_messages, help_message, notice

if TYPE_CHECKING:
    from handlers.app import Deps

COMMAND = "/attache"
COMMANDS = (COMMAND,)
SCOPES = {"commands"}
HELP_WORDS = {"", "help", "?", "-h", "--help", "trợ giúp", "tro giup"}


def answer_command(text: str, deps: Deps) -> list[dict]:
    """The messages for `/attache <text>` (visible to the asker only)."""
    first, _, rest = text.strip().partition(" ")
    word = first.lower()
    if word in HELP_WORDS:
        return [help_message(deps.engine.stats())]
    if word == "timeline":
        if not rest.strip():
            return [
                notice(
                    "Which dates? For example: /attache timeline 18/12/2024, or /attache timeline September 2024"
                )
            ]
        answer = deps.engine.ask(f"timeline {rest.strip()}")
        return answer_messages(answer, shareable=True)
    return answer_messages(deps.engine.ask(text), shareable=True)


def register(app: App, deps: Deps) -> None:
    @app.command(COMMAND)
    def on_command(ack: Ack, command: dict, respond: Respond) -> None:
        ack()
        for message in answer_command(command.get("text") or "", deps):
            respond(response_type="ephemeral", **message)
