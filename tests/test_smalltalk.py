"""Greetings, thanks and requests for help get a short friendly reply, never facts."""

from __future__ import annotations

import pytest

from bot.engine import Engine
from bot.lexicon.language import LexiconError, phrase_map, phrase_set
from bot.smalltalk import classify


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("hi", "smalltalk"),
        ("Hello there!", "smalltalk"),
        ("thanks!", "smalltalk"),
        ("thank you so much 🙏", "smalltalk"),
        ("who are you?", "smalltalk"),
        ("help", "help"),
        ("what can you do?", "help"),
        ("cảm ơn bạn nhé", "smalltalk"),
        ("xin chào", "smalltalk"),
        ("bạn là ai?", "smalltalk"),
    ],
)
def test_small_talk_gets_a_short_reply_without_facts(engine: Engine, text: str, intent: str):
    reply = engine.ask(text)
    assert reply.intent == intent
    assert not reply.answered and reply.facts == ()
    assert 0 < len(reply.text) < 400


def test_vietnamese_small_talk_is_answered_in_vietnamese(engine: Engine) -> None:
    assert "Không có gì" in engine.ask("cảm ơn nhé").text


@pytest.mark.parametrize(
    "text",
    ["hi! who met the Lao defence minister?", "thanks, and when was the expo?", "who is Chinh"],
)
def test_a_question_with_a_greeting_is_still_a_question(engine: Engine, text: str) -> None:
    assert classify(text) is None
    assert engine.ask(text).answered


def test_thanks_is_never_read_as_a_name(engine: Engine) -> None:
    reply = engine.ask("thank")
    assert reply.intent == "smalltalk" and reply.facts == ()


def test_lexicon_rejects_a_phrase_listed_twice() -> None:
    with pytest.raises(LexiconError, match="listed twice"):
        phrase_set(["Hi", "hi"], "test")
    with pytest.raises(LexiconError, match="listed twice"):
        phrase_map({"PM": "prime minister", "pm": "post meridiem"}, "test")


def test_synonym_with_two_meanings_is_rejected() -> None:
    from bot.lexicon import _claim

    table: dict[tuple[str, ...], str] = {}
    _claim(table, ("called",), "call", "synonyms.yaml")
    with pytest.raises(LexiconError, match="both 'call' and 'say'"):
        _claim(table, ("called",), "say", "synonyms.yaml")
