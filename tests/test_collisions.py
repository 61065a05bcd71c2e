"""Names that fold onto everyday words, shared names, and country coverage from data."""

from pathlib import Path

import pytest

from bot.engine import Engine
from bot.query import parse

PLANTED = """
- id: indian-nho
  type: organisation
  name: National Hydrographic Office of India
  aliases: [NHO]
  description: India's national hydrographic office.

- id: tran-van-thanh
  type: person
  name: Tran Van Thanh
  aliases: [Thanh, Lich]
  description: A planted person.
"""


@pytest.fixture
def planted(frozen_copy: Path) -> Engine:
    entities = frozen_copy / "entities.yaml"
    entities.write_text(entities.read_text(encoding="utf-8") + PLANTED, encoding="utf-8")
    return Engine.from_path(frozen_copy, use_cache=False)


def linked(engine: Engine, question: str) -> set[str]:
    return {e for g in parse(question, engine.index).entity_groups for e in g}


@pytest.mark.parametrize(
    "question",
    [
        "Bản ghi nhớ về rà phá bom mìn được ký khi nào?",
        "ban ghi nho ky khi nao",
        "Lịch sử hợp tác quốc phòng Việt Nam - Hoa Kỳ?",
        "Thành phố nào tổ chức triển lãm quốc phòng?",
        "thank you, when was the expo held?",
        "thanks! who signed the joint vision statement?",
    ],
)
def test_an_everyday_word_does_not_find_a_name(planted, question):
    assert linked(planted, question).isdisjoint({"indian-nho", "tran-van-thanh"})


@pytest.mark.parametrize(
    ("question", "entity"),
    [("What did the NHO sign?", "indian-nho"), ("Who did Thanh meet?", "tran-van-thanh")],
)
def test_the_name_spelt_as_written_is_found(planted, question, entity):
    assert entity in linked(planted, question)


def test_the_corrector_keeps_everyday_words(planted):
    assert planted.index.correct("thank") in ("thank", "thanks")
    assert planted.index.correct("woman") == "woman"  # not the country Oman
    assert planted.index.correct("tiger") == "tiger"  # nor Niger
    assert planted.index.correct("rusia") == "russia"  # a misspelt country is still found
    assert planted.index.correct("minsiter") == "minister"


def test_the_memorandum_question_still_finds_the_memorandum(planted):
    answer = planted.ask("Bản ghi nhớ về rà phá bom mìn được ký khi nào?")
    assert answer.answered and "2025" in answer.text


def test_us_as_a_pronoun_is_not_the_united_states(frozen_engine):
    assert "united-states" not in linked(
        frozen_engine, "Can you tell us who signed the joint vision statement?"
    )
    assert linked(frozen_engine, "Who is the US ambassador to Vietnam?") == {"marc-knapper"}


def test_a_covered_country_is_found_by_every_demonym(frozen_copy):
    entities = frozen_copy / "entities.yaml"
    entities.write_text(
        entities.read_text(encoding="utf-8")
        + "\n- id: russia\n  type: country\n  name: Russia\n  description: Russia.\n",
        encoding="utf-8",
    )
    engine = Engine.from_path(frozen_copy, use_cache=False)
    query = parse("What did the Russian defence minister say?", engine.index)
    assert query.unknown == []
    assert "russia" in {m for g in query.entity_groups for m in g} | set(query.countries) or (
        query.unresolved
    )


@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("What did the Russians sell to Vietnam?", "russians"),
        ("Did Vietnam and Brunei hold naval talks?", "brunei"),
        ("Who did Vietnam meet in Pyongyang?", "pyongyang"),
        ("Hợp tác quốc phòng Việt Nam - Nhật Bản", "nhat ban"),
        ("What about Kyrgyzstan?", "kyrgyzstan"),
    ],
)
def test_uncovered_countries_capitals_and_demonyms_come_from_data(frozen_engine, question, name):
    assert name in parse(question, frozen_engine.index).unknown


def test_a_year_range_after_an_agreement_name_is_part_of_the_name(frozen_copy):
    entities = frozen_copy / "entities.yaml"
    entities.write_text(
        entities.read_text(encoding="utf-8")
        + "\n- id: joint-vision-statement-2015\n  type: agreement\n"
        "  name: Joint Vision Statement on Defence Relations 2015-2020\n"
        "  aliases: [Joint Vision Statement 2015]\n"
        "  description: Vietnam-US joint vision statement on defence relations of 2015.\n",
        encoding="utf-8",
    )
    (frozen_copy / "facts" / "planted-2015.yaml").write_text(
        "- id: jvs-2015-signed\n  date: 2015-06-01\n  kind: agreement\n"
        "  actors: [joint-vision-statement-2015]\n"
        "  headline: Vietnam and the US sign a joint vision statement on defence relations\n"
        "  summary: Vietnam and the US signed a joint vision statement on defence relations"
        " for 2015-2020 in Hanoi on 1 June 2015.\n  source: vov-2024-09-giang-us\n",
        encoding="utf-8",
    )
    engine = Engine.from_path(frozen_copy, use_cache=False)
    for question in [
        "when was the Joint Vision Statement 2015-2020 signed?",
        "When was the Joint Vision Statement on Defence Relations 2015-2020 signed?",
    ]:
        assert parse(question, engine.index).dates == []
        answer = engine.ask(question)
        assert answer.answered and "1 June 2015" in answer.text
    assert "2024" in engine.ask("When was the joint vision statement signed?").text


@pytest.mark.parametrize(
    ("question", "entity"),
    [
        ("who is the us ambassador", "marc-knapper"),  # "us" beside a role word
        ("who is the us defense secretary", "lloyd-austin"),
        ("đại sứ pháp là ai?", "olivier-brochet"),  # typed with its diacritics
        ("bo truong quoc phong my la ai", "lloyd-austin"),  # beside a role word
    ],
)
def test_an_everyday_name_in_lower_case_counts_beside_a_role(frozen_engine, question, entity):
    assert linked(frozen_engine, question) == {entity}


def test_an_everyday_vietnamese_word_is_not_the_country(frozen_engine):
    query = parse(
        "Việt Nam và Hoa Kỳ hợp tác về pháp luật quốc phòng thế nào?", frozen_engine.index
    )
    assert "france" not in query.countries and "france" not in linked(frozen_engine, "pháp luật")


def test_a_country_a_fact_names_is_no_longer_reported_as_uncovered(frozen_copy):
    (frozen_copy / "facts" / "planted-russia.yaml").write_text(
        "- id: planted-russia-talks\n  date: 2021-11-29\n  kind: meeting\n"
        "  actors: [phan-van-giang]\n"
        "  headline: Phan Van Giang holds defence talks in Russia\n"
        "  summary: Phan Van Giang held talks on military-technical cooperation in Russia.\n"
        "  source: vov-2024-09-giang-us\n",
        encoding="utf-8",
    )
    engine = Engine.from_path(frozen_copy, use_cache=False)
    assert parse("What did Giang discuss with the Russians?", engine.index).unknown == []
    assert parse("Did Giang visit Russia?", engine.index).unknown == []
    # "English" in the bundled facts is a language: Britain stays uncovered.
    assert "britain" in parse("What did Britain sign with Vietnam?", engine.index).unknown
