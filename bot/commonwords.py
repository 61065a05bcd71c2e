"""How common a word is in everyday English and Vietnamese, once diacritics are dropped.

Names are matched diacritic-blind, so a short name that folds onto an everyday word
("Thanh" onto "thành", "NHO" onto "nhớ", "Mỹ" onto "my") would match that word in
every question. wordfreq's frequencies tell the two apart: Vietnamese is summed over
every spelling that folds to the same letters, since a question may carry any of them.

The thresholds are Zipf values (log10 of uses per billion words). Vietnamese is
counted per syllable, so given names are frequent too: "giang" (5.6), "vinh" (5.5)
and "lao" (5.6) stay below the line; "nho" (6.1), "lich" (5.9), "thanh" (6.6) and
"chinh" (6.5) are above it. English counts include names ("austin" 4.4, "obama"
4.9), so its line sits higher, where only everyday words ("us" 6.0, "my" 6.6) are.
"""

from __future__ import annotations

import math
from functools import cache

from bot.text import fold

COMMON_EN = 5.6  # Zipf frequency from which an English word is everyday
COMMON_VI = 5.8  # the same for a folded Vietnamese syllable
# A word this common in English is never "corrected" into a name ("thank" -> "Thanh"),
# nor taken for a typo.
WORD_EN = 3.5
# A real English word, but too specific to be a generic one ("submarines", "drills").
SPECIFIC_EN = (2.5, 4.45)


def _zipf(share: float) -> float:
    return round(math.log10(share * 1e9), 2) if share > 0 else 0.0


@cache
def _tables() -> tuple[dict[str, float], dict[str, float]]:
    """Zipf values of the English words and folded Vietnamese syllables at or above the
    floors the checks use; wordfreq's full lists are then released (tens of MB).
    wordfreq is imported here, so a process that never needs these pays nothing."""
    from wordfreq import get_frequency_dict, get_frequency_list

    english = {w: z for w, f in get_frequency_dict("en").items() if (z := _zipf(f)) >= WORD_EN}
    shares: dict[str, float] = {}
    for word, share in get_frequency_dict("vi").items():
        key = fold(word)
        shares[key] = shares.get(key, 0.0) + share
    vietnamese = {w: z for w, f in shares.items() if (z := _zipf(f)) >= COMMON_VI}
    get_frequency_dict.cache_clear()
    get_frequency_list.cache_clear()
    return english, vietnamese


def zipf(word: str) -> tuple[float, float]:
    """The (English, Vietnamese) Zipf frequency of `word`, folded; 0.0 below the floor
    a check uses (WORD_EN for English, COMMON_VI for Vietnamese)."""
    folded = fold(word)
    english, vietnamese = _tables()
    return english.get(folded, 0.0), vietnamese.get(folded, 0.0)


@cache
def common_language(word: str) -> str | None:
    """ "en" or "vi" when `word`, folded, is an everyday word in that language, else None."""
    english, vietnamese = zipf(word)
    if english >= COMMON_EN:
        return "en"
    if vietnamese >= COMMON_VI:
        return "vi"
    return None


def vietnamese_word(word: str) -> bool:
    """True when `word`, folded, is an everyday Vietnamese syllable ("nho", "thanh")."""
    return zipf(word)[1] >= COMMON_VI


def ordinary_words() -> list[str]:
    """Every ordinary word, folded: English from WORD_EN, Vietnamese syllables from
    COMMON_VI (`fold(w)` in it: `w` is an ordinary word). The index stores the list, so
    answering a question never loads wordfreq's tables."""
    english, vietnamese = _tables()
    return sorted(english.keys() | vietnamese.keys())


def everyday_english() -> list[str]:
    """The everyday English words (`common_language(w) == "en"`), folded and sorted: the
    index stores them, so telling a name from an everyday word loads no table."""
    english, _ = _tables()
    return sorted(w for w, z in english.items() if z >= COMMON_EN)


def specific_english() -> list[str]:
    """Real but specific English words of more than three letters ("submarines",
    "shipyard", "drills"), by wordfreq's small list (no abbreviations or slang such as
    "mgmt"), folded and sorted: one the base never uses names a topic it does not cover,
    unlike "list" or "start". The index stores them."""
    from wordfreq import get_frequency_dict

    low, high = SPECIFIC_EN
    words = get_frequency_dict("en", wordlist="small")
    return sorted({fold(w) for w, f in words.items() if low <= _zipf(f) < high and len(w) > 3})
