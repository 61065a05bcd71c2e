"""Questions that ask for a name: "what's the name of the third ship?", "names of the
vessels", "which firms, names pls". A fact answers one only if it gives a name of the
kind asked for that the question does not already have: a ship's name is no person's,
and "two decommissioned naval vessels" names none."""

from __future__ import annotations

import calendar
import re

from bot.dates import MONTHS
from bot.index import Index
from bot.knowledge import Fact
from bot.query import Query
from bot.text import tokens

_ASKS_NAME = re.compile(
    r"\b(?:names?|called|ten (?:la )?gi|ten cua)\b(?: of)?(?P<what>(?: \w+){0,4})"
)
# nouns that make the name asked for a person's
_PEOPLE = frozenset(
    {
        "person", "people", "official", "officials", "minister", "ministers", "leader",
        "leaders", "general", "generals", "commander", "ambassador", "envoy", "officer",
        "officers", "signatory", "signatories", "who", "nguoi", "ong", "ba",
    }
)  # fmt: skip
_CAPITALISED = re.compile(r"\b[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*")
_NOT_NAMES = frozenset(w.lower() for w in (*MONTHS, *calendar.day_name))


def lacks_name(query: Query, fact: Fact, index: Index) -> bool:
    """True when the question asks for a name the fact does not give."""
    if query.lang != "en":
        return False
    m = _ASKS_NAME.search(" ".join(query.words))
    if m is None:
        return False
    people = bool(_PEOPLE & set(m["what"].split())) or query.intent == "who"
    entities = index.kb.entities
    for actor in (*fact.actors, fact.place, fact.event):
        if not actor or actor in query.mentioned or actor not in entities:
            continue
        kind = entities[actor].type
        if kind in ("country", "place") or (kind == "person") != people:
            continue
        return False
    if any(any(c.isupper() for c in item) for item in fact.items):
        return False
    for phrase in _CAPITALISED.findall(fact.summary):
        words = tokens(phrase)
        if not words or set(words) <= _NOT_NAMES or index.linker.mentions(words):
            continue  # a month, or a name the base knows (a country, a person asked about)
        if len(words) == 1 and words[0] in index.ordinary:
            continue  # a word starting a sentence ("The", "During")
        return False
    return True
