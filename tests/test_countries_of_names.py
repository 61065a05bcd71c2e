"""A fact counts as naming the countries of its people, organisations and events, and a
capital the base holds as a place still stands for its country (bot.index)."""

from pathlib import Path

import pytest

from bot.engine import Engine
from bot.index import home_countries

CHIEN = """
- id: hoang-xuan-chien
  type: person
  name: Hoang Xuan Chien
  description: Vietnamese deputy defence minister.
  roles:
    - {role: deputy-defense-minister, title: Deputy Minister of National Defence, country: vietnam, as_of: 2022-11, source: imce-2024-12-18}
"""

THAI_ENTITIES = """
- id: thailand
  type: country
  name: Thailand
  description: Southeast Asian country.
- id: bangkok
  type: place
  name: Bangkok
  description: Capital of Thailand.
- id: gulf-of-thailand
  type: place
  name: Gulf of Thailand
  description: A sea.
- id: thai-defence-ministry
  type: organisation
  name: Thai Defence Ministry
  description: Thailand's ministry of defence.
- id: vn-thailand-dialogue-2022
  type: event
  name: Fourth Vietnam-Thailand defence dialogue
  description: Deputy-minister level talks.
- id: somchai-prasert
  type: person
  name: Somchai Prasert
  description: Permanent secretary of the Thai Defence Ministry.
"""

THAI_FACTS = """
- id: vn-thailand-dialogue-held-2022
  date: 2022-11-17
  kind: meeting
  actors: [hoang-xuan-chien, somchai-prasert, vn-thailand-dialogue-2022]
  place: bangkok
  headline: Hoang Xuan Chien and Somchai Prasert chair the fourth defence dialogue in Bangkok
  summary: Hoang Xuan Chien and Somchai Prasert chaired the fourth defence dialogue in Bangkok.
  tags: [dialogue]
  source: imce-2024-12-18
- id: vn-thailand-coast-guard-mou-2022
  date: 2022-11-17
  kind: agreement
  actors: [hoang-xuan-chien, somchai-prasert]
  place: bangkok
  headline: Coast guard memorandum signed at the dialogue
  summary: The two delegations signed a memorandum on coast guard cooperation at the dialogue.
  tags: [memorandum, coast guard]
  source: imce-2024-12-18
"""


@pytest.fixture
def thai_base(plant) -> Path:
    return plant(CHIEN + THAI_ENTITIES, THAI_FACTS)


def test_countries_come_from_names_and_roles_but_never_a_place_name(thai_base):
    engine = Engine.from_path(thai_base, use_cache=False)

    def home(entity_id: str) -> frozenset[str]:
        return home_countries(engine.kb.entities[entity_id], engine.kb, engine.index.linker)

    assert home("vn-thailand-dialogue-2022") == {"vietnam", "thailand"}
    assert home("thai-defence-ministry") == {"thailand"}
    assert home("hoang-xuan-chien") == {"vietnam"}
    assert home("gulf-of-thailand") == set()  # a sea named after a country is nobody's


def test_a_country_named_only_inside_an_event_finds_the_fact(thai_base):
    engine = Engine.from_path(thai_base, use_cache=False)
    answer = engine.ask("when was the 4th vn-thai defence dialogue")
    assert answer.answered
    assert "17 November 2022" in answer.text


def test_a_capital_held_as_a_place_still_stands_for_its_country(thai_base):
    engine = Engine.from_path(thai_base, use_cache=False)
    assert engine.index.linker.guards.capitals["bangkok"] == "thailand"
    answer = engine.ask("what did hanoi & bangkok sign in nov 2022")
    assert answer.answered
    assert "coast guard" in answer.text
