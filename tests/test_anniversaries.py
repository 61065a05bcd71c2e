"""The year something began, worked out from the anniversary a fact reports."""

from pathlib import Path

import pytest

from bot.anniversaries import beginnings
from bot.engine import Engine
from bot.knowledge import load

ANNIVERSARY_FACTS = """
- id: korea-dialogue-2022
  date: 2022-09-05
  kind: meeting
  actors: [vietnam, south-korea]
  headline: Vietnam and South Korea hold a defence dialogue
  summary: >-
    The dialogue took place as the two countries prepared to upgrade their ties, thirty
    years after establishing diplomatic relations.
  tags: [dialogue]
  source: imce-2024-12-18
- id: russia-partnership-2021
  date: 2021-06-11
  kind: statement
  actors: [russia, vietnam]
  headline: Russia and Vietnam mark their strategic partnership
  summary: Both sides praised their strategic partnership.
  amounts: [{value: 20, unit: years, of: years since Russia and Vietnam set up their strategic partnership}]
  tags: [partnership]
  source: imce-2024-12-18
"""

COUNTRIES = """
- id: south-korea
  type: country
  name: South Korea
  description: East Asian country.
- id: russia
  type: country
  name: Russia
  description: Country.
"""


@pytest.fixture
def anniversaries(plant) -> Path:
    return plant(COUNTRIES, ANNIVERSARY_FACTS)


def test_beginnings_read_from_words_figures_and_amounts(anniversaries):
    facts = {f.id: f for f in load(anniversaries).facts}
    (korea,) = beginnings(facts["korea-dialogue-2022"])
    assert (korea.year, korea.years) == (1992, 30)
    assert "diplomatic relations" in korea.what
    (russia,) = beginnings(facts["russia-partnership-2021"])
    assert (russia.year, russia.years) == (2001, 20)


@pytest.mark.parametrize(
    ("question", "year"),
    [
        ("vn-korea diplomatic ties established what yr", "1992"),
        ("when did russia and vietnam set up their strategic partnership", "2001"),
        ("Nga và Việt Nam thiết lập quan hệ đối tác chiến lược năm nào", "2001"),
    ],
)
def test_when_something_began_is_answered_with_its_year(anniversaries, question, year):
    answer = Engine.from_path(anniversaries, use_cache=False).ask(question)
    assert answer.answered
    assert answer.text.splitlines()[0].lstrip("Năm ").startswith(year)


def test_the_anniversary_itself_keeps_its_own_date(anniversaries):
    answer = Engine.from_path(anniversaries, use_cache=False).ask(
        "when did vietnam and south korea hold the dialogue"
    )
    assert answer.text.startswith("5 September 2022")


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        ("how many years of diplomatic relations did vn & korea have in 2022", "30 years"),
        ("năm 2022 quan hệ ngoại giao Việt Nam - Hàn Quốc được bao nhiêu năm", "30 năm"),
    ],
)
def test_how_long_something_had_lasted_is_the_anniversary_count(anniversaries, question, lead):
    answer = Engine.from_path(anniversaries, use_cache=False).ask(question)
    assert answer.answered
    assert answer.text.startswith(lead)


def test_a_stated_length_of_visit_answers_how_long(plant) -> None:
    base = plant(
        facts="""
- id: planted-four-day-visit
  date: 2019-11
  kind: visit
  actors: [pham-minh-chinh, laos]
  headline: Chinh pays a four-day visit to Laos
  summary: Pham Minh Chinh paid a four-day official visit to Laos in November 2019.
  source: imce-2024-12-18
"""
    )
    answer = Engine.from_path(base, use_cache=False).ask("how long was chinh in laos in nov 2019")
    assert answer.answered and answer.text.startswith("4 days.")


def test_a_beginning_counted_from_a_later_year(plant) -> None:
    base = plant(
        facts="""
- id: planted-ties-counted-back
  date: 1954
  kind: event
  actors: [vietnam, laos]
  headline: Ties set up, 65 years before the 2019 talks
  summary: The two countries set up diplomatic relations 65 years before the 2019 talks.
  source: imce-2024-12-18
"""
    )
    engine = Engine.from_path(base, use_cache=False)
    answer = engine.ask("how many years of diplomatic relations did vn and laos have by the talks")
    assert answer.answered and answer.text.startswith("65 years in 2019 (since 1954).")
