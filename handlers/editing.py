"""`/attache add <url>`: editors draft a new source from Slack, then approve or discard it.

Editors are the Slack user ids in ATTACHE_EDITORS. The draft is made
exactly as `attache kb add` makes it (bot.ingest), into the fact base the app serves;
its review summary comes back privately with Approve / Discard buttons. Everyone else
gets a polite refusal, and the buttons check the clicker too. Only http(s) addresses
are taken from Slack, never a path on the server.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, Respond

from bot import ingest
from handlers.blocks import escape, notice
from handlers.settings import editor_ids

if TYPE_CHECKING:
    from handlers.app import Deps

APPROVE = "kb_approve"
DISCARD = "kb_discard"
USAGE = "Usage: /attache add <address of a news article or an RSS feed>, e.g. /attache add https://example.org/story"
REFUSAL = (
    "Sorry, only the fact base's editors can add articles. If this one should be in it, "
    "please send the link to an editor."
)
MAX_SUMMARY_CHARS = 2900  # one section of Block Kit, inside a code block
_LINK = re.compile(r"^<([^|>]+)(?:\|[^>]*)?>$")


def _url(text: str) -> str | None:
    """The http(s) address in what the user typed (Slack wraps links as <url|label>)."""
    text = text.strip()
    if m := _LINK.match(text):
        text = m.group(1)
    return text if re.match(r"^https?://\S+$", text) else None


def _root(deps: Deps) -> Path:
    return deps.engine.kb.root


def review_message(added: list[ingest.Added], skipped: list[ingest.Skipped], root: Path) -> dict:
    """The review summary with an Approve and a Discard button per drafted source."""
    text = ingest.summary(added, skipped, root)
    if len(text) > MAX_SUMMARY_CHARS:
        text = text[: MAX_SUMMARY_CHARS - 1] + "…"
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": f"```{escape(text)}```"}}
    ]
    for item in added:
        blocks.append(
            {
                "type": "actions",
                "block_id": f"review_{item.source_id}"[:255],
                "elements": [
                    {
                        "type": "button",
                        "style": "primary",
                        "action_id": APPROVE,
                        "text": {"type": "plain_text", "text": f"Approve {item.source_id}"[:75]},
                        "value": item.source_id,
                    },
                    {
                        "type": "button",
                        "style": "danger",
                        "action_id": DISCARD,
                        "text": {"type": "plain_text", "text": "Discard"},
                        "value": item.source_id,
                    },
                ],
            }
        )
    first = added[0].source_id if added else "nothing"
    return {"text": f"Drafted {first} for review", "blocks": blocks}


def is_add(rest: str, command: dict[str, Any]) -> bool:
    """True when `/attache add …` is a request to add a source (a link, or an editor
    typing it), not a question that happens to start with "add"."""
    text = rest.strip()
    return command.get("user_id") in editor_ids() or not text or text.startswith(("<http", "http"))


def add_command(rest: str, command: dict[str, Any], deps: Deps) -> list[dict]:
    """The reply to `/attache add <url>`."""
    if command.get("user_id") not in editor_ids():
        return [notice(REFUSAL)]
    url = _url(rest)
    if url is None:
        return [notice(USAGE)]
    try:
        added, skipped = ingest.add(url, _root(deps))
    except ingest.IngestError as exc:
        return [notice(f"Nothing was added: {exc}.")]
    return [review_message(added, skipped, _root(deps))]


def register(app: App, deps: Deps) -> None:
    """The Approve and Discard buttons of a review summary (editors only)."""

    def review_button(
        verb: str, apply: Callable[[Path, str], int], done: Callable[[str, int], str]
    ) -> Callable[..., None]:
        def on_click(
            ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond
        ) -> None:
            ack()
            if body["user"]["id"] not in editor_ids():
                respond(replace_original=False, **notice(REFUSAL))
                return
            source_id = str(action.get("value", ""))
            try:
                count = apply(_root(deps), source_id)
            except ingest.IngestError as exc:
                respond(replace_original=False, **notice(f"Not {verb}: {exc}."))
                return
            respond(replace_original=True, **notice(done(source_id, count)))

        return on_click

    app.action(APPROVE)(
        review_button(
            "approved",
            ingest.approve,
            lambda source_id, count: (
                f"Approved {source_id}: {count} fact(s) reviewed. attache answers from them "
                "once it reloads the fact base."
            ),
        )
    )
    app.action(DISCARD)(
        review_button(
            "discarded",
            ingest.discard,
            lambda source_id, count: f"Discarded the draft {source_id} and its {count} fact(s).",
        )
    )
