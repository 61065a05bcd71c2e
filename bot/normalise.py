"""Slack-typed questions made readable: emoji, "&", "w/", "+", chatty openers,
fillers and abbreviations.

The raw pass (`tidy`) works on the text, so dates and capitals still read; the word
pass (`words`) works on folded tokens with the per-language lists in
bot/lexicon/<lang>/slack.yaml."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from bot.lexicon import language

_SHORTCODE = re.compile(r"(?<![\w:]):[a-z][a-z0-9_+-]*:(?![\w:])", re.IGNORECASE)
_WITH = re.compile(r"(?<!\w)w/o(?!\w)|(?<!\w)w/(?=\s|\w)", re.IGNORECASE)
_AND = re.compile(r"\s(?:&|\+|&amp;)\s|(?<=\w)&(?=\w)")
_MONEY_SIGN = re.compile(r"[$€£](?!\s*\d)")
_SYMBOL_CATEGORIES = ("So", "Sk", "Cs", "Co")
_JOINERS = {"\u200d", "\ufe0f", "\ufe0e", "\u20e3"}


def tidy(text: str) -> str:
    """Drop emoji and Slack :shortcodes:; read "&", "+" and "w/" as words."""
    text = _SHORTCODE.sub(" ", text)
    text = "".join(
        " "
        if c in _JOINERS or (unicodedata.category(c) in _SYMBOL_CATEGORIES and c not in "$€£°")
        else c
        for c in text
    )
    text = _WITH.sub(lambda m: " without " if m.group(0).lower() == "w/o" else " with ", text)
    text = _AND.sub(" and ", text)
    text = _MONEY_SIGN.sub(" money ", text)
    return " ".join(text.split())


def _strip_openers(
    words: list[str], openers: frozenset[tuple[str, ...]], longest: int
) -> list[str]:
    changed = True
    while changed and words:
        changed = False
        for n in range(min(longest, len(words) - 1), 0, -1):
            if tuple(words[:n]) in openers:
                words = words[n:]
                changed = True
                break
    return words


def _strip_closers(
    words: list[str], closers: frozenset[tuple[str, ...]], longest: int
) -> list[str]:
    """Words without the sentence-final particles they end with ("... là ai vậy")."""
    changed = True
    while changed and words:
        changed = False
        for n in range(min(longest, len(words) - 1), 0, -1):
            if tuple(words[-n:]) in closers:
                words = words[:-n]
                changed = True
                break
    return words


def _replace(
    words: Sequence[str],
    table: dict[tuple[str, ...], tuple[str, ...]] | frozenset,
    longest: int,
) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(words):
        for n in range(min(longest, len(words) - i), 0, -1):
            phrase = tuple(words[i : i + n])
            if phrase in table:
                out += table[phrase] if isinstance(table, dict) else []
                i += n
                break
        else:
            out.append(words[i])
            i += 1
    return out


def words(tokens: Sequence[str], lang: str) -> list[str]:
    """Folded question tokens without openers, fillers and closing particles, abbreviations
    spelt out."""
    own = language.load(lang)
    out = _strip_openers(list(tokens), own.openers, own.longest)
    out = _replace(out, own.fillers, own.longest) or out
    out = _strip_closers(out, own.closers, own.longest)
    for table in [own] if lang == "en" else [own, language.load("en")]:
        out = _replace(out, table.abbreviations, table.longest)
    return out
