"""A yes/no question that states a figure or a place is settled by the fact."""

import pytest

from bot.figures import Figure, stated


def test_figures_are_read_with_their_scale_and_kind():
    assert stated(["1", "billion", "usd"], "1 bn usd") == [Figure(1e9, True)]
    assert stated(["130", "million"], "$130 million") == [Figure(130e6, True)]
    assert stated(["500", "sets", "of", "remains"], "500 sets of remains") == [Figure(500, False)]
    assert stated(["in", "2024"], "in 2024") == []  # a year is a date
    assert stated(["1", "billion"], "1 billion") == [Figure(1e9, None)]  # money or count


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        ("did the us add $130 million for bien hoa", "Yes — $130 million"),
        ("were 500 sets of us remains repatriated", "No — over 990"),
        ("có phải Mỹ bổ sung 130 triệu USD cho Biên Hòa không", "Có — $130 million"),
    ],
)
def test_a_stated_figure_is_confirmed_or_contradicted(frozen_engine, question, lead):
    answer = frozen_engine.ask(question)
    assert answer.answered
    assert answer.text.startswith(lead)


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        ("was the US-Vietnam vision statement signed in hanoi", "No — the Pentagon"),
        ("did giang and austin meet at the pentagon", "Yes — the Pentagon"),
    ],
)
def test_a_stated_place_is_confirmed_or_contradicted(frozen_engine, question, lead):
    answer = frozen_engine.ask(question)
    assert answer.answered
    assert answer.text.startswith(lead)


def test_a_figure_without_a_currency_is_compared_with_any_amount(engine):
    assert engine.ask("was india's credit line 1 billion").text.startswith("No — $500 million")


def test_a_figure_of_something_else_settles_nothing(engine):
    assert not engine.ask("did the us give vn $50 million for ship repairs").answered


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        ("did giang meet leahy in person", "No — by phone"),
        ("did giang & shoigu meet in person in june 2021", "No — online"),
    ],
)
def test_in_person_is_settled_by_a_call(engine, question, lead):
    answer = engine.ask(question)
    assert answer.answered
    assert answer.text.startswith(lead)
