"""Slack-typed noise, abbreviations and intent cues, read the same way every time."""

from __future__ import annotations

import pytest

from bot import intents, normalise
from bot.lexicon import language
from bot.text import tokens


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("giang & austin talks where? 🙏", "giang and austin talks where?"),
        ("pm w/ the lao DM", "pm with the lao DM"),
        ("chinh + khamliang :thinking_face:", "chinh and khamliang"),
        ("bien hoa $?", "bien hoa money ?"),
        ("$130 million", "$130 million"),
        ("ADMM+ members", "ADMM+ members"),
    ],
)
def test_tidy(typed: str, read: str) -> None:
    assert normalise.tidy(typed) == read


def test_openers_fillers_and_abbreviations() -> None:
    words = normalise.words(tokens("hi! sorry, quick q: pls who is the lao DM"), "en")
    assert words == ["who", "is", "the", "lao", "defense", "minister"]
    assert normalise.words(tokens("fr-vn mil-med mtg"), "en") == [
        "france",
        "vietnam",
        "military",
        "medicine",
        "meeting",
    ]


def test_vietnamese_openers_and_abbreviations() -> None:
    words = normalise.words(tokens("cho mình hỏi btqp lào là ai"), "vi")
    assert words == ["bo", "truong", "quoc", "phong", "lao", "la", "ai"]


def test_a_question_made_only_of_an_opener_is_kept() -> None:
    assert normalise.words(["hi"], "en") == ["hi"]


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("how long did the expo last", "duration"),
        ("how much did the us pledge", "how_much"),
        ("how many companies", "how_many"),
        ("when was it signed", "when"),
        ("which city hosted it", "where"),
        ("what happened on the 18th", "timeline"),
        ("which body signed it", "which_body"),
        ("who met him", "who"),
        ("which companies were there", "list"),
        ("did boeing join", "yes_no"),
        ("what did he say", "what"),
        ("khi nao", "when"),
        ("bao nhieu tien", "how_much"),
        ("co phai ong ay khong", "yes_no"),
        ("what did laos pledge when the pm met its minister", "what"),
        ("who met him when he came to hanoi", "who"),
        ("tell me when it was signed", "when"),
        ("giang moi austin du su kien gi", "what"),
        ("ngay 9/9/2024 co su kien gi", "timeline"),
    ],
)
def test_intent_cues(question: str, intent: str) -> None:
    assert intents.detect(question)[0].name == intent


def test_every_intent_is_registered_once() -> None:
    names = [i.name for i in intents.REGISTRY]
    assert len(names) == len(set(names))
    assert {"who", "when", "where", "how_much", "how_many", "duration", "list", "yes_no"} <= set(
        names
    )
    assert {"what", "timeline", "who_is", "smalltalk", "help"} <= set(names)


def test_capitals_are_data() -> None:
    assert language.load("en").metonyms[("vientiane",)] == ("laos",)


def test_vietnamese_closing_particles_are_dropped_only_at_the_end() -> None:
    assert normalise.words(tokens("marles là ai vậy"), "vi") == ["marles", "la", "ai"]
    assert normalise.words(tokens("ấn độ cho vay bao nhiêu tiền"), "vi")[2:4] == ["cho", "vay"]
    assert normalise.words(tokens("vậy"), "vi") == ["vay"]


def test_only_the_cue_phrase_is_dropped_not_the_same_word_in_a_name() -> None:
    from bot.query import _cue_positions

    words = ["quan", "he", "viet", "nam", "hoa", "ky", "bao", "nhieu", "nam"]
    assert _cue_positions(words, {"bao", "nhieu", "nam"}) == {6, 7, 8}
