import pytest

from bot.index import stem
from bot.text import _slow_fold, clean, fold, looks_vietnamese, tokens


def test_fold_strips_diacritics_and_maps_d_with_stroke():
    assert fold("Đà Nẵng") == "da nang"
    assert fold("Bộ trưởng Quốc phòng Lào") == "bo truong quoc phong lao"
    assert fold("Phạm Minh Chính") == "pham minh chinh"


def test_tokens_unify_spelling_and_abbreviations():
    assert tokens("Defence") == tokens("defense") == ["defense"]
    assert tokens("the U.S. delegation") == ["the", "us", "delegation"]
    assert tokens("C-130 planes") == ["c130", "planes"]
    assert tokens("ADMM+") == ["admm", "plus"]
    # a model number joins its short prefix; a word before a year-like number stays a word
    assert tokens("Su-30 and COVID-19") == ["su30", "and", "covid", "19"]


def test_clean_removes_control_characters():
    assert clean("who\x00 met\u200b the\tPM?\n") == "who met the PM?"


def test_looks_vietnamese():
    assert looks_vietnamese("Ai đã gặp Bộ trưởng?")
    assert looks_vietnamese("Michalak là ai?")
    assert not looks_vietnamese("who met the Lao defence minister?")


@pytest.mark.parametrize(
    ("text", "vietnamese"),
    [
        ("When did the Czech Republic open its defence attaché office?", False),
        ("what did the Élysée say", False),
        ("Khi nào?", True),
        ("Ai là người ký?", True),
        ("Giang gặp ai", True),
    ],
)
def test_a_french_accent_is_no_vietnamese(text, vietnamese):
    assert looks_vietnamese(text) is vietnamese


def test_fold_in_one_pass_matches_the_unicode_decomposition():
    for text in ["Phan Văn Giang", "Đại tướng", "Álvaro López", "Ｆｕｌｌ ﬁ ß", "2024–2025 €"]:
        fold.cache_clear()
        assert fold(text) == _slow_fold(text)


def test_word_families_share_a_term():
    assert stem("stable") == stem("stability") == stem("stabilise")
    assert stem("navy") == stem("naval") and stem("strategy") == stem("strategic")
    assert stem("peace") != stem("stable")
