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

from wordfreq import get_frequency_dict, zipf_frequency

from bot.text import fold

COMMON_EN = 5.6  # Zipf frequency from which an English word is everyday
COMMON_VI = 5.8  # the same for a folded Vietnamese syllable
# A word this common in English is never "corrected" into a name ("thank" -> "Thanh").
WORD_EN = 3.5


@cache
def _vietnamese_folded() -> dict[str, float]:
    totals: dict[str, float] = {}
    for word, share in get_frequency_dict("vi").items():
        key = fold(word)
        totals[key] = totals.get(key, 0.0) + share
    return totals


def zipf(word: str) -> tuple[float, float]:
    """The (English, Vietnamese) Zipf frequency of `word`, folded."""
    folded = fold(word)
    share = _vietnamese_folded().get(folded, 0.0)
    vietnamese = round(math.log10(share * 1e9), 2) if share > 0 else 0.0
    return zipf_frequency(folded, "en"), vietnamese


@cache
def common_language(word: str) -> str | None:
    """ "en" or "vi" when `word`, folded, is an everyday word in that language, else None."""
    english, vietnamese = zipf(word)
    if english >= COMMON_EN:
        return "en"
    if vietnamese >= COMMON_VI:
        return "vi"
    return None


@cache
def is_word(word: str) -> bool:
    """True when `word` is an ordinary word (English, or a common Vietnamese syllable)."""
    english, vietnamese = zipf(word)
    return english >= WORD_EN or vietnamese >= COMMON_VI
