"""When something began, worked out from an anniversary a fact reports.

"2025 marks the 30th anniversary of Vietnam-US diplomatic relations" dates the
relations to 1995; "30 years after establishing diplomatic ties" (in 2022) to 1992;
an amount of `years` "since Russia and Vietnam set up their strategic partnership"
does the same. The articles give the count and the year of the anniversary; the
year it began is their difference.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.knowledge import Fact
from bot.text import NUMBER_WORDS, as_number, fold

_COUNT = r"(?P<count>\d{1,3}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
_PATTERNS = (
    re.compile(_COUNT + r"(?:st|nd|rd|th)? anniversary(?: year)? of (?P<what>[^,.;()]+)", re.I),
    re.compile(_COUNT + r" years (?:since|after) (?P<what>[^,.;()]+)", re.I),
)
# a fact dated when something began, counted from later: "Vietnam and Mongolia set up
# diplomatic relations 65 years before the 2019 talks"
_BEFORE = re.compile(r"(?P<what>[^,.;()]+?) " + _COUNT + r" years (?:before|earlier than)", re.I)


@dataclass(frozen=True)
class Beginning:
    """The year something began, how many years the fact counts, what it was and the
    year the count was made in."""

    year: int
    years: int
    what: str
    marked: int


def beginnings(fact: Fact) -> list[Beginning]:
    """What began in which year, by the anniversaries `fact` states."""
    marked = fact.date.start.year
    found = []
    texts = [fact.summary, *(f"{a.value:g} {a.of}" for a in fact.amounts if a.unit == "years")]
    for text in texts:
        if "anniversar" not in (low := text.lower()) and "years" not in low:
            continue  # most facts: no need to run the patterns
        for pattern in _PATTERNS:
            for match in pattern.finditer(text):
                count = as_number(match["count"]) or 0
                if 0 < count < marked:
                    found.append(Beginning(marked - count, count, match["what"].strip(), marked))
        for match in _BEFORE.finditer(text):
            count = as_number(match["count"]) or 0
            found.append(Beginning(marked, count, match["what"].strip(), marked + count))
    return found


_DAYS_STATED = re.compile(
    r"\b(\w+)-day (?:official |working |state )?(?:visit|trip|tour|stay|mission)"
)


def days_stated(fact: Fact) -> int | None:
    """The length of a visit the fact's text states ("a four-day official visit")."""
    m = _DAYS_STATED.search(fold(fact.summary))
    if m is None:
        return None
    return as_number(m.group(1))
