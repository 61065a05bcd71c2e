"""Figures a question states ("$130 million", "1 bn usd", "500 sets"), and whether a
fact's amounts bear them out: "were 500 sets of remains repatriated?" is answered
"No — 990", not "Yes"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.index import Index
from bot.intents.kinds import CURRENCIES
from bot.knowledge import Amount, Fact
from bot.text import tokens

SCALES = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "m": 1e6,
    "mn": 1e6,
    "trieu": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "ty": 1e9,
}
MONEY_WORDS = frozenset({"usd", "dollar", "dollars", "eur", "euro", "euros", "vnd", "dong"})
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Figure:
    """A number the question states, scaled, and whether it is a sum of money (None:
    the question does not say, as in "1 billion")."""

    value: float
    money: bool | None


def stated(words: list[str], text: str) -> list[Figure]:
    """The figures in a question's words (a bare year is a date, not a figure)."""
    out = []
    for i, word in enumerate(words):
        if not _NUMBER.fullmatch(word):
            continue
        after = words[i + 1 : i + 3]
        scale = SCALES.get(after[0], 1.0) if after else 1.0
        value = float(word) * scale
        if scale == 1.0 and 1900 <= value <= 2100:
            continue
        money = "$" in text or "€" in text or not MONEY_WORDS.isdisjoint(after)
        out.append(Figure(value, True if money else (None if scale > 1 else False)))
    return out


def verdict(
    figures: list[Figure], fact: Fact, terms: list[str], index: Index
) -> tuple[bool, Amount] | None:
    """(True, the amount) when `fact` states one of `figures`; (False, the amount it
    states instead) when it states another of the same kind about something the
    question's `terms` name, the one most about them; None otherwise."""
    asked = set(terms)

    def same_kind(figure: Figure) -> list[Amount]:
        return [
            a
            for a in fact.amounts
            if figure.money is None or (a.unit in CURRENCIES) == figure.money
        ]

    for figure in figures:
        for amount in same_kind(figure):
            if abs(amount.value - figure.value) <= 0.01 * max(amount.value, 1.0):
                return True, amount

    def overlap(amount: Amount) -> int:
        return len(asked & set(index.analyzer.terms(tokens(amount.of))))

    for figure in figures:  # another figure of what the question asks about
        same = [a for a in same_kind(figure) if overlap(a)]
        if same:
            return False, max(same, key=overlap)
    return None
