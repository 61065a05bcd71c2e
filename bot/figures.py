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
    """A number the question states, scaled, and whether it is a sum of money."""

    value: float
    money: bool


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
        out.append(Figure(value, money))
    return out


def verdict(
    figures: list[Figure], fact: Fact, terms: list[str], index: Index
) -> tuple[bool, Amount] | None:
    """(True, the amount) when `fact` states one of `figures`; (False, the amount it
    states instead) when it states another of the same kind, the one most about the
    question's `terms`; None when it states no figure of that kind."""
    asked = set(terms)
    for figure in figures:
        same = [a for a in fact.amounts if (a.unit in CURRENCIES) == figure.money]
        for amount in same:
            if abs(amount.value - figure.value) <= 0.01 * max(amount.value, 1.0):
                return True, amount
    for figure in figures:
        same = [a for a in fact.amounts if (a.unit in CURRENCIES) == figure.money]
        if same:
            best = max(same, key=lambda a: len(asked & set(index.analyzer.terms(tokens(a.of)))))
            return False, best
    return None
