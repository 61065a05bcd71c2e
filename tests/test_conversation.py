"""Follow-up questions: the context a turn leaves, what it resolves, and where it stops."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pytest

from bot.conversation import Context
from bot.engine import Engine


def chat(engine: Engine, *questions: str):
    context = None
    replies = []
    for question in questions:
        reply = engine.ask(question, context=context)
        context = reply.context
        replies.append(reply)
    return replies


def test_when_was_that_refers_to_the_previous_answer(engine: Engine) -> None:
    _, when = chat(engine, "who met the Lao defence minister?", "when was that?")
    assert when.answered and when.text.startswith("18 December 2024")


def test_he_is_the_person_of_the_previous_turn(engine: Engine) -> None:
    _, said = chat(engine, "who is the Lao defence minister?", "what did he pledge?")
    assert said.answered and "coordinat" in said.text


def test_and_on_another_day_keeps_the_month(engine: Engine) -> None:
    _, other_day = chat(engine, "what happened on 18 December 2024?", "and on the 19th?")
    assert other_day.answered and "19 December 2024" in other_day.text


def test_vietnamese_follow_up(engine: Engine) -> None:
    _, when = chat(engine, "Phan Văn Giang hội đàm với Lloyd Austin ở đâu?", "khi nào?")
    assert when.answered and when.text.startswith("ngày 9/9/2024")


def test_follow_up_with_nothing_to_refer_to_asks_what_is_meant(engine: Engine) -> None:
    reply = engine.ask("when was that?")
    assert not reply.answered and reply.intent == "clarify" and "“that”" in reply.text
    assert reply.facts == ()


def test_ask_without_context_is_stateless(engine: Engine) -> None:
    engine.ask("who met the Lao defence minister?")
    assert engine.ask("when was that?").intent == "clarify"


def test_contexts_do_not_leak_between_conversations(engine: Engine) -> None:
    lao = engine.ask("who met the Lao defence minister?")
    pentagon = engine.ask("where did Giang and Austin hold talks?")
    assert engine.ask("when was that?", context=lao.context).text.startswith("18 December")
    assert engine.ask("when was that?", context=pentagon.context).text.startswith("9 September")


def test_small_talk_keeps_the_context(engine: Engine) -> None:
    *_, when = chat(engine, "who met the Lao defence minister?", "thanks!", "when was that?")
    assert when.text.startswith("18 December 2024")


def test_context_round_trips_through_json(engine: Engine) -> None:
    context = engine.ask("who met the Lao defence minister?").context
    assert context is not None
    again = Context.from_json(context.to_json())
    assert again == context
    assert engine.ask("when was that?", context=again).text.startswith("18 December 2024")


def test_context_expires_after_a_day(engine: Engine) -> None:
    context = engine.ask("who met the Lao defence minister?").context
    assert context is not None
    old = Context.from_json(
        json.dumps(
            {
                **json.loads(context.to_json()),
                "created_at": (dt.datetime.now(dt.UTC) - dt.timedelta(days=2)).isoformat(),
            }
        )
    )
    assert old.expired()
    assert engine.ask("when was that?", context=old).intent == "clarify"


def test_bad_context_json_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        Context.from_json('{"entities": 3}')


def _run_chat(stdin: str) -> list[dict]:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--json"],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ),
    )
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_chat_json_one_line_in_one_object_out_with_context() -> None:
    replies = _run_chat("who met the Lao defence minister?\nwhen was that?\n\nthanks\n")
    assert len(replies) == 4
    assert {"question", "answered", "answer", "confidence", "intent", "facts", "sources"} <= (
        replies[0].keys()
    )
    assert replies[1]["answered"] and replies[1]["answer"].startswith("18 December 2024")
    assert replies[2]["intent"] == "invalid"
    assert replies[3]["intent"] == "smalltalk" and replies[3]["facts"] == []


def test_ask_batch_stays_stateless() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", "--batch", "-"],
        input="who met the Lao defence minister?\nwhen was that?\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    second = json.loads(result.stdout.splitlines()[1])
    assert not second["answered"] and second["intent"] == "clarify"
