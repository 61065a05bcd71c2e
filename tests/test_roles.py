"""Roles over time: the latest holder, the holder at a date, never a counterpart."""

from pathlib import Path

import pytest

from bot.dates import parse_fact_date
from bot.engine import Engine
from bot.knowledge import load
from bot.roles import holders

EARLIER_MINISTER = """
- id: ngo-xuan-lich
  type: person
  name: Ngo Xuan Lich
  name_vi: Ngô Xuân Lịch
  aliases: [General Lich]
  description: General, Minister of National Defence of Vietnam (2016-2021).
  roles:
    - {role: defense-minister, title: Minister of National Defence, country: vietnam, from: 2016-04, to: 2021-04, source: hpha-2016-03-16}

- id: sergei-shoigu
  type: person
  name: Sergei Shoigu
  aliases: [Shoigu]
  description: Minister of Defence of Russia.
  roles:
    - {role: defense-minister, title: Minister of Defence, country: russia, as_of: 2021-11, source: hpha-2016-03-16}

- id: russia
  type: country
  name: Russia
  aliases: [Russian Federation]
  description: The Russian Federation.
"""

MEETING = """
- id: giang-meets-shoigu-2021
  date: 2021-11-29
  kind: meeting
  actors: [phan-van-giang, sergei-shoigu]
  place: hanoi
  headline: Phan Van Giang holds talks with Russian defence minister Sergei Shoigu
  summary: Vietnam's defence minister Phan Van Giang held talks with Sergei Shoigu, Russia's defence minister, on military cooperation.
  tags: [Vietnam-Russia, defence cooperation]
  source: hpha-2016-03-16
- id: lich-visits-moscow-2018
  date: 2018-04-04
  kind: visit
  actors: [ngo-xuan-lich, russia]
  headline: Ngo Xuan Lich attends the Moscow security conference
  summary: Defence minister Ngo Xuan Lich attended the Moscow Conference on International Security.
  tags: [Vietnam-Russia]
  source: hpha-2016-03-16
"""


@pytest.fixture
def two_ministers(frozen_copy: Path) -> Path:
    entities = frozen_copy / "entities.yaml"
    entities.write_text(entities.read_text(encoding="utf-8") + EARLIER_MINISTER, encoding="utf-8")
    (frozen_copy / "facts" / "planted-russia.yaml").write_text(MEETING, encoding="utf-8")
    return frozen_copy


def test_latest_holder_and_holder_at_a_date(two_ministers):
    kb = load(two_ministers)
    minister = {"defense-minister"}
    assert holders(kb, minister, "vietnam") == ["phan-van-giang"]
    assert holders(kb, minister, "vietnam", parse_fact_date("2018")) == ["ngo-xuan-lich"]
    assert holders(kb, minister, "vietnam", parse_fact_date("2024-10")) == ["phan-van-giang"]
    assert holders(kb, minister, "russia") == ["sergei-shoigu"]
    # Reported in September 2024: likely the minister in late 2021, after Lich's term.
    assert holders(kb, minister, "vietnam", parse_fact_date("2021-11")) == ["phan-van-giang"]
    # ... but not in 2015, nine years before anyone reported it.
    assert holders(kb, minister, "vietnam", parse_fact_date("2015")) == []


def test_a_post_that_ended_gives_way_to_a_later_holder(frozen_copy):
    kb = load(frozen_copy)
    assert holders(kb, {"prime-minister"}, "vietnam") == ["pham-minh-chinh"]
    assert holders(kb, {"president"}, "united-states") == ["joe-biden"]  # 2024 after 2016
    assert holders(kb, {"president"}, "united-states", parse_fact_date("2016")) == ["barack-obama"]


@pytest.mark.parametrize(
    ("question", "holder", "not_named"),
    [
        ("who is the Vietnamese defence minister?", "Phan Van Giang", "Shoigu"),
        ("Who is the Vietnamese prime minister?", "Pham Minh Chinh", "Khamliang"),
        ("who was the Vietnamese defence minister in 2018?", "Ngo Xuan Lich", "Giang"),
        ("who is the Russian defence minister?", "Shoigu", "Giang"),
        ("Who did the Vietnamese defence minister meet in November 2021?", "Shoigu", "Lich"),
    ],
)
def test_who_is_answers_the_holder_never_a_counterpart(two_ministers, question, holder, not_named):
    answer = Engine.from_path(two_ministers, use_cache=False).ask(question)
    assert answer.answered
    first_line = answer.text.splitlines()[0]
    assert holder in first_line and not_named not in first_line


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        ("how many yrs was leahy a senator", "48 years"),
        ("Leahy làm thượng nghị sĩ bao lâu", "48 năm"),
    ],
)
def test_a_tenure_is_of_the_post_the_question_names(engine, question, lead):
    """Leahy held two posts (senator; president pro tempore, twice): the one asked about."""
    reply = engine.ask(question)
    assert reply.answered
    assert reply.text.startswith(lead)


def test_an_undated_post_in_a_question_about_an_event_means_any_holder(two_ministers):
    engine = Engine.from_path(two_ministers, use_cache=False)
    reply = engine.ask("when did the vietnamese defence minister attend the moscow conference")
    assert reply.answered
    assert reply.text.startswith("4 April 2018")  # Lich, though Giang holds the post now


def test_a_vice_minister_is_a_deputy_defence_minister(engine) -> None:
    answer = engine.ask("besides north korea what did the korean vice minister ask vn to back")
    assert answer.answered and "Busan" in answer.text
