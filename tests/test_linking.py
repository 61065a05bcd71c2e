"""Entity and role linking, typo correction, and never swapping an unknown name."""

import pytest

from bot.index import PhraseTable
from bot.query import parse


@pytest.mark.parametrize(
    ("question", "entity"),
    [
        ("who is Phạm Minh Chính", "pham-minh-chinh"),
        ("who is pham minh chinh", "pham-minh-chinh"),
        ("Nguyễn Chí Vịnh là ai", "nguyen-chi-vinh"),
        ("what did the U.S. Ambassador Marc Knapper say", "marc-knapper"),
        ("when was VIDE 2024", "vide-2024"),
        ("what is ADMM+", "admm-plus"),
    ],
)
def test_names_in_english_and_vietnamese(engine, question, entity):
    query = parse(question, engine.index)
    assert frozenset({entity}) in query.entity_groups


@pytest.mark.parametrize(
    ("question", "holder"),
    [
        ("who met the Lao defence minister", "khamliang-outhakaysone"),
        ("who met the defense minister of Laos", "khamliang-outhakaysone"),
        ("ai gặp Bộ trưởng Quốc phòng Lào", "khamliang-outhakaysone"),
        ("what did the US Defense Secretary sign", "lloyd-austin"),
        ("what did the US defence minister sign", "lloyd-austin"),
        ("who is the Vietnamese defence minister", "phan-van-giang"),
        ("what did the PM say", "pham-minh-chinh"),
        ("what did the French ambassador say", "olivier-brochet"),
    ],
)
def test_roles_resolve_to_the_person_who_held_them(engine, question, holder):
    """The latest holder (a post named without a date may be any holder's: see
    test_roles.py), never someone who did not hold it."""
    query = parse(question, engine.index)
    group = next(g for g in query.entity_groups if holder in g)
    assert all(engine.kb.entities[e].roles for e in group)


@pytest.mark.parametrize(
    "question", ["Who met the Cambodian defence minister?", "who is the French defence minister"]
)
def test_a_role_nobody_in_the_base_held_is_unresolved(engine, question):
    query = parse(question, engine.index)
    assert query.unresolved
    assert not any("khamliang-outhakaysone" in g for g in query.entity_groups)


@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("Who met the Thai defence minister?", "thai"),
        ("did Vietnam buy submarines from Israel", "israel"),
    ],
)
def test_countries_the_base_does_not_cover_are_reported(engine, question, name):
    assert name in parse(question, engine.index).unknown


def test_unknown_capitalised_names_are_reported(engine):
    assert "Putin" in parse("Who is Vladimir Putin?", engine.index).unknown


@pytest.mark.parametrize(
    ("typo", "word"),
    [
        ("minsiter", "minister"),
        ("vist", "visit"),
        ("khamlaing", "khamliang"),
        ("soverignty", "sovereignty"),
        ("wen", "when"),
    ],
)
def test_typos_are_corrected_against_the_base_vocabulary(engine, typo, word):
    assert engine.index.correct(typo) == word


def test_correction_never_turns_a_foreign_country_into_a_known_one(engine):
    for word in ("cambodian", "thai", "russia", "china"):
        assert engine.index.correct(word) == word


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("Phó Thủ tướng Úc Marles hội đàm với ai ở Hà Nội", "Phan Văn Giang"),
        ("who did deputy pm marles meet in hanoi", "Phan Van Giang"),
    ],
)
def test_a_role_word_before_a_name_is_a_title_not_a_second_person(engine, question, answer):
    reply = engine.ask(question)
    assert reply.answered
    assert reply.text.startswith(answer)


def test_a_role_nobody_holds_is_still_reported_without_a_name(engine):
    reply = engine.ask("who is the australian foreign minister")
    assert not reply.answered
    assert "foreign minister" in reply.text
    # Marles was Deputy Prime Minister as well as defence minister (two roles)
    assert engine.ask("who is the australian deputy prime minister").text.startswith("Richard")


@pytest.mark.parametrize(
    ("question", "countries"),
    [
        ("doi thoai chinh sach quoc phong Việt - Anh lần thứ nhất", {"vietnam", "united-kingdom"}),
        ("Đối thoại quốc phòng Hàn - Việt năm 2022", {"south-korea", "vietnam"}),
    ],
)
def test_vietnamese_country_pairs_name_both_countries(engine, question, countries):
    assert countries <= set(parse(question, engine.index).countries)


@pytest.mark.parametrize(
    ("question", "name"),
    [("who is mark knaper", "Marc Knapper"), ("who is loyd austin", "Lloyd Austin")],
)
def test_a_first_name_one_letter_off_is_part_of_the_name(engine, question, name):
    reply = engine.ask(question)
    assert reply.answered
    assert reply.text.startswith(name)


def test_a_rank_before_a_surname_is_not_taken_for_a_first_name(engine):
    # "tướng" is one letter off "Thượng", the first word of one of Vinh's aliases
    reply = engine.ask("Thượng tướng Vịnh thăm Anh từ ngày nào đến ngày nào")
    assert reply.answered
    assert "27" in reply.text.splitlines()[0]


@pytest.mark.parametrize(
    ("question", "excluded"),
    [
        ("quan hệ ngoại giao Việt Nam - Hoa Kỳ bao nhiêu năm", set()),
        ("công ty nào ngoài Lockheed Martin gặp Thủ tướng", {"lockheed-martin"}),
    ],
)
def test_ngoai_sets_aside_only_when_it_means_other_than(engine, question, excluded):
    assert set(parse(question, engine.index).excluded) == excluded


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("ai chu tri doi thoai voi bo truong lao", "vi"),
        ("who met the lao defence minister", "en"),
        ("vn us dialogue on mia in hanoi", "en"),
    ],
)
def test_vietnamese_without_diacritics_or_cue_is_read_as_vietnamese(engine, question, lang):
    assert parse(question, engine.index).lang == lang


def test_an_ocean_named_after_a_country_is_no_country(engine):
    query = parse("kishi va giang nhan manh tu do o an do duong thai binh duong", engine.index)
    assert query.unknown == []
    assert "india" not in query.countries


def test_a_plan_is_no_yes(engine):
    reply = engine.ask("was the ph-vn defence moa actually signed before the end of 2024")
    assert not reply.answered
    assert "expected" in reply.text


@pytest.mark.parametrize(
    "question",
    [
        "for a brief im writing: where did giang meet teodoro",
        "what's the hydrography deal actually for",
    ],
)
def test_slack_fillers_do_not_count_as_topics(engine, question):
    assert engine.ask(question).answered


@pytest.mark.parametrize(
    "question", ["what is michalak's position at usabc", "Ông Michalak giữ chức vụ gì ở USABC?"]
)
def test_a_persons_post_at_an_organisation_is_their_card(engine, question):
    reply = engine.ask(question)
    assert reply.intent == "who_is"
    assert "Michalak" in reply.text.splitlines()[0]


def test_a_czech_in_vietnamese_is_no_secretary(engine):
    """ "Séc" (Czech) once read as the English "sec" (secretary)."""
    query = parse("Bộ trưởng Quốc phòng Séc thăm Việt Nam khi nào", engine.index)
    assert "secretari" not in query.terms


def test_a_small_bare_number_is_a_count_not_a_topic(engine):
    query = parse("which 2 areas of vn-us defence ties went well", engine.index)
    assert "2" not in query.terms and "area" in query.terms


def test_a_phrase_table_with_pairs_finds_what_one_without_finds():
    table = PhraseTable.of({("us",): 1, ("us", "navy"): 2, ("navy", "ship", "visit"): 3})
    plain = PhraseTable(table.joined, table.lengths, table.longest)  # as loaded from disk
    for words in (["the", "us", "navy", "ship", "visit"], ["us"], ["navy", "ship", "visit"]):
        assert list(table.matches(words)) == list(plain.matches(words))
