"""Ranking, abstention and answer shape on a tiny fact base written for the tests
(tests/synthetic.py), so the engine's behaviour is pinned independently of the data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.engine import Engine
from tests import synthetic


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    root = synthetic.write(tmp_path_factory.mktemp("synthetic") / "kb")
    return Engine.from_path(root, use_cache=False)


def test_who_names_the_other_party(engine: Engine) -> None:
    a = engine.ask("who met Ana Berg?")
    assert a.answered and a.text.startswith("Le Van Hai.")
    assert a.facts[0].fact.id == "berg-meets-hai-2020"


def test_role_answers_the_latest_holder_not_an_earlier_one(engine: Engine) -> None:
    assert engine.ask("who is the Norland defence minister?").text.startswith("Tomas Lind")


def test_role_in_a_past_year_answers_the_holder_then(engine: Engine) -> None:
    assert engine.ask("who was the Norland defence minister in 2020?").text.startswith("Ana Berg")


def test_slack_abbreviation_and_demonym_find_the_role(engine: Engine) -> None:
    assert "Tomas Lind" in engine.ask("norlandic DM?").text


def test_duration_is_computed_from_the_date_range(engine: Engine) -> None:
    assert engine.ask("how long did the Harbour Expo last?").text.startswith("3 days")


def test_tenure_is_computed_from_the_role_dates(engine: Engine) -> None:
    today = dt.date(2025, 1, 1)
    current = engine.ask("how long has Tomas Lind been defence minister?", today)
    assert current.text.startswith("2 years: Tomas Lind has been Minister of Defence")
    former = engine.ask("how long was Ana Berg defence minister?", today)
    assert former.text.startswith("4 years") and "to 30 June 2022" in former.text
    assert not engine.ask("how long did Ana Berg stay in Hanoi?", today).text.startswith("4 years")


def test_other_than_leaves_the_named_item_out(engine: Engine) -> None:
    a = engine.ask("which companies exhibited at the harbour expo other than Delta Radar?")
    lead = a.text.split("\n\n")[0].split("The Harbour")[0]
    assert "Norland Shipyards" in lead and "Delta Radar" not in lead


def test_yes_no_leads_with_yes_and_the_name(engine: Engine) -> None:
    assert engine.ask("did Norland Shipyards exhibit at the harbour expo?").text.startswith(
        "Yes — Norland Shipyards"
    )


def test_amount(engine: Engine) -> None:
    assert engine.ask("how much did Norland pledge?").text.startswith("$20 million")


@pytest.mark.parametrize(
    "question",
    [
        "who met the Surian defence minister?",  # a role nobody in the base holds
        "what happened on 5 June 2021?",  # a date with no facts
        "who is John Smith?",  # an unknown person
        "when did Ana Berg visit Tokyo?",  # a place (country) the base does not cover
        "who met Ana Berg in Paris?",  # it happened, but not there
    ],
)
def test_abstains_when_the_base_lacks_the_answer(engine: Engine, question: str) -> None:
    a = engine.ask(question)
    assert not a.answered and a.intent in ("abstain", "closest")


def test_a_figure_for_something_else_is_never_the_answer(engine: Engine) -> None:
    assert not engine.ask("how much did Norland pay for the expo?").answered


def test_counting_a_list_of_other_things_is_not_a_figure(engine: Engine) -> None:
    assert not engine.ask("how many radars did Norland sell?").answered
    assert engine.ask("how many exhibiting companies were at the harbour expo?").text.startswith(
        "3 exhibiting companies"
    )


def test_vietnamese_question_gets_the_vietnamese_fields(engine: Engine) -> None:
    a = engine.ask("ai gặp Ana Berg?")
    assert a.answered and a.text.startswith("Lê Văn Hải.")
    assert "tiếp Bộ trưởng Quốc phòng Norland" in a.text


def test_english_question_gets_the_english_fields(engine: Engine) -> None:
    assert "received Norland's defence minister" in engine.ask("who met Ana Berg?").text


def test_partial_match_is_offered_as_closest_never_as_the_answer(engine: Engine) -> None:
    a = engine.ask("what did Hai and Berg say about search and rescue drones?")
    assert not a.answered
    if a.intent == "closest":
        assert a.text.startswith("I can't answer that exactly. Closest I have:")


def test_follow_up_when_was_that(engine: Engine) -> None:
    first = engine.ask("who met Ana Berg?")
    second = engine.ask("when was that?", context=first.context)
    assert second.answered and second.text.startswith("12 May 2020")


def test_synthetic_base_is_not_the_bundled_one(engine: Engine) -> None:
    assert {s for s in engine.kb.sources} == {"src-a", "src-b"}
    assert Path(engine.kb.root).name == "kb"


def test_time_between_two_dated_facts(engine: Engine) -> None:
    a = engine.ask("how many years between Hai's meeting with Berg and the Harbour Expo?")
    assert a.answered and a.text.startswith("2 years")
    assert not engine.ask("how many years between the Harbour Expo and the moon landing?").answered


def test_dates_relative_to_a_dated_fact(engine: Engine) -> None:
    a = engine.ask("what happened the day after the memorandum on naval training was signed?")
    assert a.answered and a.text.startswith("On 3 March 2023")


@pytest.mark.parametrize(
    "question",
    [
        "when did Suria sign a memorandum with Vietnam?",  # Suria is only named in a list
        "did Delta Radar sign a deal?",  # it exhibited; nothing says it signed
        "who organised the harbour expo?",  # the fact names no organiser
    ],
)
def test_a_fact_that_touches_none_of_the_topic_is_only_the_closest(
    engine: Engine, question: str
) -> None:
    a = engine.ask(question)
    assert not a.answered and a.intent == "closest"


def test_a_year_after_words_of_an_agreement_name_is_not_a_date(engine: Engine) -> None:
    a = engine.ask("when did berg and hai sign the naval vision for 2030")
    assert a.answered and "13 May 2020" in a.text


def test_an_ordinal_the_facts_do_not_give_is_only_the_closest(engine: Engine) -> None:
    a = engine.ask("when will the third harbour expo be held?")
    assert not a.answered
    assert engine.ask("when will the harbour expo be held?").answered


def test_a_fact_without_the_occasion_asked_about_is_only_the_closest(engine: Engine) -> None:
    assert not engine.ask("what did Ana Berg say at the expo?").answered
    assert engine.ask("what did Tomas Lind sign at the expo?").answered


def test_where_is_never_answered_by_the_event_asked_about(engine: Engine) -> None:
    a = engine.ask("which city hosted the harbour expo?")
    assert a.answered and a.text.startswith("Hanoi")


def test_a_stated_length_of_time_answers_how_many_years(engine: Engine) -> None:
    a = engine.ask("how many years of norland vietnam diplomatic ties in 2020")
    assert a.answered and a.text.startswith("30 years")


def test_a_year_read_as_part_of_a_name_must_be_in_the_fact(engine: Engine) -> None:
    assert engine.ask("when did berg and hai sign the 2030 naval vision").answered
    assert not engine.ask("when did lind and hai sign the 2030 naval vision").answered


def test_a_dated_question_naming_a_country_keeps_to_that_country(engine: Engine) -> None:
    a = engine.ask("what did suria give vietnam in 2020?")
    assert not a.answered and "Nothing is recorded" not in a.text
