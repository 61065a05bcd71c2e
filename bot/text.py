"""Text normalisation shared by questions and facts.

Both sides of every comparison go through the same folding, so a question typed
without diacritics, in British spelling or with "U.S." finds a fact written with
them. `đ` is mapped by hand because Unicode does not decompose it into `d`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# British spellings folded onto one form, so "defence" and "defense" are the same word.
_SPELLING = {
    "defence": "defense",
    "defences": "defenses",
    "offence": "offense",
    "programme": "program",
    "programmes": "programs",
    "organisation": "organization",
    "organisations": "organizations",
    "modernisation": "modernization",
    "modernising": "modernizing",
    "realisation": "realization",
    "recognising": "recognizing",
    "emphasised": "emphasized",
    "favourable": "favorable",
    "centre": "center",
    "labour": "labor",
    "neighbour": "neighbor",
    "neighbours": "neighbors",
    "honour": "honor",
    "travelled": "traveled",
}

# British -ise verbs: every form folded onto the American -ize spelling.
_ISE_VERBS = (
    "organis",
    "recognis",
    "prioritis",
    "modernis",
    "emphasis",
    "mobilis",
    "stabilis",
    "normalis",
    "finalis",
    "authoris",
    "utilis",
    "realis",
    "criticis",
    "summaris",
    "characteris",
    "specialis",
    "militaris",
    "demilitaris",
    "standardis",
    "optimis",
    "maximis",
    "minimis",
    "institutionalis",
    "formalis",
    "legalis",
    "capitalis",
    "industrialis",
    "harmonis",
    "synchronis",
    "familiaris",
    "symbolis",
    "memorialis",
)
_SPELLING.update(
    {
        f"{stem}{ending}": f"{stem[:-1]}z{ending}"
        for stem in _ISE_VERBS
        for ending in ("e", "es", "ed", "ing", "ation", "ations")
    }
)
_VIETNAMESE_LETTERS = set("ăâêôơưđĂÂÊÔƠƯĐ")
_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_VIETNAMESE_MARKS = {"\u0309", "\u0323"}  # hook above, dot below
_DOTTED_ABBREVIATION = re.compile(r"\b((?:[a-z]\.){2,})")
_LETTER_HYPHEN_DIGIT = re.compile(r"\b([a-z]{1,3})-(\d)")  # "C-130", "Su-30"; not "COVID-19"
_DIGIT_PLURAL = re.compile(r"\b([a-z]+\d+)s\b")  # "C-130s" -> "c130"
_PLUS_SUFFIX = re.compile(r"(?<=[a-z0-9])\+")
_SCALED = re.compile(r"\b(\d+)(mn|m|bn|b|k)\b")  # "$130m" -> "130 million"
_SCALE_WORDS = {"m": "million", "mn": "million", "b": "billion", "bn": "billion", "k": "thousand"}
_TOKEN = re.compile(r"[a-z0-9]+")
_DIGIT = re.compile(r"\d")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")


def _slow_fold(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


# Latin letters with diacritics (Vietnamese included) and combining marks, folded once:
# str.translate then folds a whole text in C. Any other character leaves the text
# non-ASCII and it takes the slow path, so the table is only ever a shortcut.
_LATIN = (*range(0xC0, 0x250), *range(0x300, 0x370), *range(0x1E00, 0x1F00))
_FOLD_TABLE = {code: folded for code in _LATIN if (folded := _slow_fold(chr(code))) != chr(code)}


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case `text` and strip diacritics (đ -> d), keeping everything else."""
    if text.isascii():
        return text.lower()
    quick = text.translate(_FOLD_TABLE).lower()
    return quick if quick.isascii() else _slow_fold(text)


def clean(text: str) -> str:
    """Drop control and invisible characters and collapse white space."""
    return " ".join(_CONTROL.sub(" ", text).split())


def tokens(text: str) -> list[str]:
    """Folded word tokens: "U.S." -> "us", "C-130" -> "c130", "ADMM+" -> "admm plus"."""
    folded = fold(text)
    if "." in folded:  # each rewrite only where its sign is: most texts have few
        folded = _DOTTED_ABBREVIATION.sub(lambda m: m.group(1).replace(".", "") + " ", folded)
    if "-" in folded:
        folded = _LETTER_HYPHEN_DIGIT.sub(r"\1\2", folded)
    if "+" in folded:
        folded = _PLUS_SUFFIX.sub(" plus", folded)
    if _DIGIT.search(folded):
        folded = _DIGIT_PLURAL.sub(r"\1", folded)
        folded = _SCALED.sub(lambda m: f"{m[1]} {_SCALE_WORDS[m[2]]}", folded)
    return [_SPELLING.get(t, t) for t in _TOKEN.findall(folded)]


def looks_vietnamese(text: str) -> bool:
    """True when the text carries Vietnamese letters or tone marks: a letter or mark only
    Vietnamese uses (ơ, đ, a hook above, a dot below), or acute, grave and tilde accents
    on more than a French or Spanish name would have ("the attaché office" is English)."""
    if any(c in _VIETNAMESE_LETTERS for c in text):
        return True
    words = unicodedata.normalize("NFD", text).split()
    marked = [w for w in words if any(c in _TONE_MARKS for c in w)]
    if any(c in _VIETNAMESE_MARKS for w in marked for c in w):
        return True
    return len(marked) >= 2 or (bool(marked) and len(marked) >= 0.3 * len(words))


_UNITS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TENS = ["ten", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_TEENS = [
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_ORDINAL_TENS = (
    "tenth twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth"
)
NUMBER_WORDS = {  # number words, cardinal and the tens' ordinals
    **{w: n for n, w in enumerate(_UNITS, 1)},
    **{w: 10 * n for n, w in enumerate(_TENS, 1)},
    **{w: n for n, w in enumerate(_TEENS, 11)},
    **{w: 10 * n for n, w in enumerate(_ORDINAL_TENS.split(), 1)},
    "hundred": 100,
    "hundredth": 100,
}


def as_number(word: str) -> int | None:
    """The number a word gives: "65" or "sixty" (None for any other word)."""
    return int(word) if word.isdigit() else NUMBER_WORDS.get(word.lower())
