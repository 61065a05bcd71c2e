"""A statement that names an earlier agreement's year answers when that one was signed."""

import pytest

from bot.engine import Engine

REVIEW = """
- id: vn-au-cooperation-review-2022
  date: 2022-11-25
  kind: statement
  actors: [vietnam, australia]
  headline: Vietnam and Australia review their defence cooperation
  summary: >-
    Both sides said their cooperation, based on a 2010 memorandum of understanding on
    defence cooperation, had gone well in training and peacekeeping.
  tags: [review]
  source: imce-2024-12-18
"""

AUSTRALIA = """
- id: australia
  type: country
  name: Australia
  description: Country.
"""


@pytest.fixture
def review(plant) -> Engine:
    return Engine.from_path(plant(AUSTRALIA, REVIEW), use_cache=False)


def test_the_year_beside_the_agreement_leads(review):
    answer = review.ask("when was the aus-vn defence mou originally signed")
    assert answer.answered
    assert answer.text.startswith("2010 (as reported on 25 November 2022)")


def test_the_statement_keeps_its_own_date_for_its_own_event(review):
    answer = review.ask("when did vietnam and australia review their defence cooperation")
    assert answer.text.startswith("25 November 2022")
