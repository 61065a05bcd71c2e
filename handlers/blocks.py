"""Block Kit rendering and mrkdwn escaping.

Everything a user typed, and every answer, is escaped (`&`, `<`, `>`) before it is
shown, so `<!channel>` or `<@U123>` typed into a question never pings anyone. Long
answers are split to stay inside Slack's limits: 3,000 characters per section and
50 blocks per message.
"""

from __future__ import annotations

import json
from typing import Any

from bot.answer import Answer, Citation
from bot.digest import Digest
from bot.unanswered import Group

MAX_SECTION_CHARS = 3000
MAX_BLOCKS = 50
MAX_BUTTON_VALUE = 2000

SHARE = "share_answer"
VOTE_UP = "feedback_up"
VOTE_DOWN = "feedback_down"
ASK_EXAMPLE = "ask_example"

EXAMPLES = (
    "who met the Lao defence minister?",
    "what happened on Dec 18?",
    "how much did the US pledge for Bien Hoa?",
    "which companies did the prime minister meet?",
    "Phan Văn Giang là ai?",
)

Block = dict[str, Any]
Message = dict[str, Any]


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _chunks(text: str, limit: int = MAX_SECTION_CHARS) -> list[str]:
    """Split already-escaped text at line breaks (else spaces) into pieces of at most
    `limit` characters, never inside an entity such as `&amp;`."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            cut = line.rfind(" ", 0, limit)
            if cut <= 0:
                amp = line.rfind("&", limit - 5, limit)
                cut = amp if amp > 0 else limit
            pieces.append(line[:cut])
            line = line[cut:].lstrip()
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces.append(current)
            current = line
        else:
            current = candidate
    if current:
        pieces.append(current)
    return pieces or [""]


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def source_line(citation: Citation) -> str:
    title = escape(citation.title)
    linked = f"<{citation.url}|{title}>" if citation.url else title
    return f":newspaper: {escape(citation.publisher)} · {escape(citation.published)} · {linked}"


def _value(payload: dict[str, Any]) -> str:
    """A button value (at most 2,000 characters): the question is shortened if need be."""
    value = json.dumps(payload, ensure_ascii=False)
    while len(value) > MAX_BUTTON_VALUE and payload.get("q"):
        payload = {**payload, "q": payload["q"][: len(payload["q"]) // 2]}
        value = json.dumps(payload, ensure_ascii=False)
    return value


def _buttons(answer: Answer, shareable: bool) -> Block:
    facts = [f.fact.id for f in answer.facts][:8]
    vote = _value({"q": answer.question, "f": facts})
    elements: list[dict[str, Any]] = []
    if shareable:
        elements.append(
            {
                "type": "button",
                "action_id": SHARE,
                "text": {"type": "plain_text", "text": "Share in channel"},
                "style": "primary",
                "value": _value({"q": answer.question}),
            }
        )
    elements += [
        {
            "type": "button",
            "action_id": VOTE_UP,
            "text": {"type": "plain_text", "text": "👍"},
            "value": vote,
        },
        {
            "type": "button",
            "action_id": VOTE_DOWN,
            "text": {"type": "plain_text", "text": "👎"},
            "value": vote,
        },
    ]
    return {"type": "actions", "elements": elements}


def answer_messages(
    answer: Answer, *, asked_by: str | None = None, shareable: bool = False
) -> list[Message]:
    """The answer as one or more messages, each with `text` (the notification fallback)
    and at most 50 blocks; the question is restated, the sources and buttons close it."""
    who = f"<@{asked_by}> asked" if asked_by else "You asked"
    head = [_context(f"{who}: {escape(answer.question)}")]
    body = [_section(piece) for piece in _chunks(escape(answer.text))]
    tail = [_context(source_line(c)) for c in answer.citations]
    if answer.answered:
        tail.append(_buttons(answer, shareable))
    blocks = head + body + tail
    fallback = answer.text[:MAX_SECTION_CHARS]
    messages = [
        {"text": fallback, "blocks": blocks[i : i + MAX_BLOCKS]}
        for i in range(0, len(blocks), MAX_BLOCKS)
    ]
    for n, message in enumerate(messages[1:], start=2):
        message["text"] = f"(continued, part {n} of {len(messages)})"
    return messages


def notice(text: str) -> Message:
    """A short plain message (help, thanks, errors)."""
    return {"text": text, "blocks": [_section(escape(text))]}


def help_message(stats: dict[str, object]) -> Message:
    examples = "\n".join(f"• `/attache {q}`" for q in EXAMPLES)
    text = (
        f"*attache* answers questions about Vietnam's defence cooperation from {stats['facts']} "
        f"cited facts ({stats['first']} to {stats['last']}), in English or Vietnamese.\n\n"
        f"*Ask*\n{examples}\n\n"
        "*Timelines*\n• `/attache timeline 18/12/2024`  • `/attache timeline September 2024`"
        "  • `/attache timeline Phan Van Giang`\n\n"
        "*Daily digest* (on this day, new sources, coming up) for this channel\n"
        "• `/attache digest on 08:00 Asia/Ho_Chi_Minh` (default: 08:00 in your Slack time zone; add `daily` to post even on quiet days)\n"
        "• `/attache digest status`  • `/attache digest preview`  • `/attache digest off`\n\n"
        "Answers are shown only to you first; *Share in channel* posts them for everyone. "
        "You can also mention @attache in a channel (it replies in the thread) or send it a direct message."
    )
    return {"text": "How to use attache", "blocks": [_section(text)]}


def home_view(stats: dict[str, object], citations: list[Citation]) -> dict[str, Any]:
    sources = "\n".join(f"• {source_line(c)}" for c in citations)
    blocks: list[Block] = [
        {"type": "header", "text": {"type": "plain_text", "text": "attache"}},
        _section(
            "Answers about Vietnam's defence cooperation with the US, Laos, France and others, "
            "from a curated fact base. Every answer cites its sources; when the base does not "
            "know, attache says so."
        ),
        _section(
            f"*What I know:* {stats['facts']} facts from {stats['sources']} sources, "
            f"{stats['first']} to {stats['last']}.\n{sources}"
        ),
        {"type": "divider"},
        _section("*Try a question* (the answer arrives in your messages with me):"),
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "action_id": f"{ASK_EXAMPLE}_{n}",
                    "text": {"type": "plain_text", "text": q[:75]},
                    "value": q,
                }
                for n, q in enumerate(EXAMPLES)
            ],
        },
        _context(
            "Anywhere in Slack: `/attache <question>`, `/attache help`, `/attache timeline <date>`; "
            "mention @attache in a channel; or message me here."
        ),
        _section(
            "*Daily digest for a channel:* in the channel, type `/attache digest on 08:00 Asia/Ho_Chi_Minh` "
            "(time and zone optional: 08:00 in your Slack time zone). It posts what happened on this day "
            "in earlier years, facts new to the base and events coming up. "
            "`/attache digest status`, `preview` and `off` do what they say."
        ),
    ]
    return {"type": "home", "blocks": blocks}


def unanswered_blocks(groups: list[Group]) -> list[Block]:
    """For editors' App Home: the questions asked most that attache could not answer."""
    if not groups:
        lines = "Nothing yet: every question in the last 90 days got an answer."
    else:
        lines = "\n".join(
            f"• {g.count}× {escape(g.question[:150])} _(last {g.last_asked:%d %b})_" for g in groups
        )
    return [
        {"type": "divider"},
        _section(f"*Most asked, not answered* (last 90 days; editors only):\n{lines}"),
        _context("Add sources that answer these. Full list: `attache report unanswered`."),
    ]


def digest_message(digest: Digest) -> Message:
    """A digest: a header, then each section with its cited items (within Slack's limits)."""
    blocks: list[Block] = [
        {"type": "header", "text": {"type": "plain_text", "text": digest.title[:150]}}
    ]
    if digest.empty:
        blocks.append(
            _section("Nothing new today: no anniversaries, new sources or coming events.")
        )
    for heading, lines in digest.sections():
        text = escape("\n".join(lines))
        for n, piece in enumerate(_chunks(text, MAX_SECTION_CHARS - len(heading) - 4)):
            blocks.append(_section(f"*{heading}*\n{piece}" if n == 0 else piece))
    return {"text": digest.text()[:MAX_SECTION_CHARS], "blocks": blocks[:MAX_BLOCKS]}
