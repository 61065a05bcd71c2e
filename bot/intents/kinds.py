"""The intents: for each kind of question, how to rank facts, what a fact must hold to
answer it, and the direct answer that leads the reply (in the asker's language)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING, ClassVar

from bot.anniversaries import Beginning, beginnings, days_stated
from bot.index import Index, IndexedFact
from bot.knowledge import Fact
from bot.mentioned_years import year_beside
from bot.text import tokens

if TYPE_CHECKING:
    from bot.compose import Wording
    from bot.query import Query

CURRENCIES = {"USD": "$", "EUR": "€", "VND": "VND "}
TIME_UNITS = frozenset({"years", "year", "months", "month", "weeks", "week", "days", "day"})
_PRECISE = {"day": 0.06, "range": 0.06, "month": 0.03, "year": 0.0}
# terms of a question about an act that a plan is not ("was it signed?", "upgraded")
ACTIONS = frozenset({"sign", "upgrade", "finalis", "final", "establish"})
# words before a verb that make it a plan: "to be signed", "would be raised", "hoped to"
_PLANNING = frozenset(
    [
        "to",
        "will",
        "would",
        "should",
        "could",
        "shall",
        "expected",
        "plan",
        "plans",
        "planned",
        "hope",
        "hopes",
        "hoped",
        "aim",
        "aims",
        "aimed",
        "soon",
        "early",
        "push",
        "pushed",
        "possible",
        "possibility",
        "potential",
        "future",
        "proposed",
        "for",
    ]
)
# terms of a question about when something began ("established", "set up", "since when")
ORIGIN_TERMS = frozenset({"establish", "set", "found", "begin", "start", "launch", "creat", "sinc"})


def money_given(fact: Fact) -> bool:
    """The fact states a sum of money."""
    return any(a.unit in CURRENCIES for a in fact.amounts)


def count_given(fact: Fact) -> bool:
    """The fact states a number of something other than money."""
    return any(a.unit not in CURRENCIES for a in fact.amounts)


def _listed(names: list[str]) -> str:
    """ "A, B." ("" for none), without a second full stop after "Jr."."""
    text = ", ".join(names)
    return text if not text or text.endswith(".") else f"{text}."


class Intent:
    """One kind of question. The defaults suit a question with no special shape."""

    name: ClassVar[str] = "what"
    cue_only: ClassVar[bool] = False  # its cue words say nothing about the topic
    own_terms: ClassVar[frozenset[str]] = frozenset()  # terms that restate the intent
    ranks: ClassVar[bool] = False  # it prefers some facts over others
    figure: ClassVar[bool] = False  # it asks for a figure a fact must give
    gathers: ClassVar[bool] = False  # its answer gathers several facts ("which countries")

    def prefer(self, item: IndexedFact, query: Query) -> float:
        """A bonus for facts that suit this kind of question."""
        return 0.0

    def fits(self, fact: Fact) -> bool:
        """True when the fact holds what this kind of question asks for."""
        return True

    def refusal(self, say: Wording, query: Query, fact: Fact) -> str | None:
        """Why `fact` cannot answer the question, if it cannot (else None)."""
        return None

    def direct(self, say: Wording, query: Query, fact: Fact) -> bool:
        """True when the fact gives the direct answer (else it is only the closest)."""
        return True

    def settles(self, say: Wording, query: Query, fact: Fact) -> bool:
        """True when the fact decides the question whatever else it lacks (a yes/no
        question's figure or place, which the fact confirms or contradicts)."""
        return False

    def gather(self, index: Index, query: Query, facts: list[Fact]) -> list[int]:
        """Which of the close matches `facts` (best first) a gathering answer uses."""
        return [0]

    def lead_all(self, say: Wording, query: Query, facts: list[Fact]) -> str:
        """The direct answer from the facts an answer uses (the best one first)."""
        return self.lead(say, query, facts[0])

    def lead(self, say: Wording, query: Query, fact: Fact) -> str:
        """The direct answer that opens the reply ("" for none)."""
        if fact.items and say.asks_for_items(query, fact):
            return say.bullets(query, fact)
        return ""


def signs(say: Wording, fact: Fact) -> bool:
    """True when the fact's text reports a signing."""
    return "sign" in say.index.analyzer.terms(tokens(fact.summary))


def planned_only(say: Wording, query: Query, fact: Fact) -> bool:
    """True when the question asks about an act (signing, upgrading) that the fact does
    not report as done: it never names the act, or a word of planning comes just before
    each time it does ("an agreement to be concluded soon", "would be raised")."""
    asked = set(query.terms) & ACTIONS
    if not asked:
        return False
    words = tokens(fact.summary)
    return _all_planned(words, _naming(say, words, asked))


def plans_acts(say: Wording, fact: Fact) -> bool:
    """True when the fact names acts (signing, finalising) only as plans: "India agreed
    to finalise the credit line early"."""
    words = tokens(fact.summary)
    named = _naming(say, words, ACTIONS)
    return bool(named) and _all_planned(words, named)


def _naming(say: Wording, words: list[str], acts: AbstractSet[str]) -> list[int]:
    """Where `words` name one of `acts`."""
    return [i for i, w in enumerate(words) if not acts.isdisjoint(say.index.analyzer.terms([w]))]


def _all_planned(words: list[str], named: list[int]) -> bool:
    """True when a word of planning comes just before each of the places `named`."""
    return all(not _PLANNING.isdisjoint(words[max(0, i - 3) : i]) for i in named)


class What(Intent):
    """ "What did X say about Y?", "what does the MoU cover?"."""

    def direct(self, say: Wording, query: Query, fact: Fact) -> bool:
        """ "What did they sign?" is answered by a signing, not by the visit it was
        expected at."""
        return "sign" not in query.terms or fact.kind == "agreement" or signs(say, fact)


class When(Intent):
    """ "When did X happen?": the date first."""

    name = "when"
    cue_only = True
    ranks = True

    def prefer(self, item: IndexedFact, query: Query) -> float:
        bonus = _PRECISE[item.span.precision]
        if item.fact.kind != "statement":
            bonus += 0.05
        if item.fact.status == "announced":
            bonus -= 0.04
        return bonus

    def direct(self, say: Wording, query: Query, fact: Fact) -> bool:
        """Not the date of a statement that only hopes for what was asked about ("when
        did they upgrade ties?" and relations "would be raised"), unless it gives the
        year of the thing asked about ("based on a 2010 memorandum")."""
        reported = fact.kind not in ("statement", "announcement") and not plans_acts(say, fact)
        if reported or not planned_only(say, query, fact):
            return True
        return year_beside(fact, set(query.terms) - ORIGIN_TERMS, say.index) is not None

    def lead(self, say: Wording, query: Query, fact: Fact) -> str:
        began = self.began(say, query, fact)
        if began is not None:
            return say.began(began.year, began.marked, began.years)
        if fact.kind == "statement":  # "... based on a 2010 memorandum": when that was
            year = year_beside(fact, set(query.terms) - ORIGIN_TERMS, say.index)
            if year is not None:
                return say.year_within(year, fact.date)
        if _WEEKDAY.search(" ".join(query.words)) and fact.date.precision == "day":
            return f"{say.weekday(fact.date.start)}, {say.date(fact.date)}."
        return f"{say.date(fact.date)}."

    @staticmethod
    def began(say: Wording, query: Query, fact: Fact) -> Beginning | None:
        """What `fact`'s anniversary dates, when the question asks when that began
        ("when were diplomatic ties established?"): its topic shares the question's words."""
        asked = set(query.terms) - ORIGIN_TERMS
        if asked == set(query.terms):
            return None
        for beginning in beginnings(fact):
            topic = set(say.index.analyzer.terms(tokens(beginning.what)))
            if asked & topic:
                return beginning
        return None


class Where(Intent):
    """ "Where did X happen?": the place first; a fact with no place cannot answer."""

    name = "where"
    cue_only = True
    ranks = True

    def prefer(self, item: IndexedFact, query: Query) -> float:
        if item.fact.place:
            return 0.08
        return -0.05 if item.fact.event in query.mentioned else 0.0  # "where was the expo"

    def refusal(self, say: Wording, query: Query, fact: Fact) -> str | None:
        return None if fact.place or fact.event or _venue(fact) else say.no_place()

    def direct(self, say: Wording, query: Query, fact: Fact) -> bool:
        """A place, a venue the text gives, or an event the question did not name: "at
        the expo" does not answer "where was the expo held?"."""
        return bool(fact.place or _venue(fact)) or fact.event not in query.mentioned

    def lead(self, say: Wording, query: Query, fact: Fact) -> str:
        if not fact.place and (venue := _venue(fact)):
            return _listed([venue[0].upper() + venue[1:]])  # "the defence ministry's headquarters"
        where = fact.place or fact.event  # at an event when the fact names no place
        return _listed([say.name(where)]) if where and where in say.index.kb.entities else ""


# "what day of the week…?", "thứ mấy": the weekday leads the date
_WEEKDAY = re.compile(r"\b(?:day of (?:the )?week|weekday|week day|thu may)\b")

# a venue a fact's text gives without a place entity: "at the ministry's headquarters"
_VENUE = re.compile(
    r"\bat (the [\w'’ -]{2,50}?(?:headquarters|building|hall|palace|compound|guest ?house"
    r"|auditorium|conference centre|conference center))\b"
)


def _venue(fact: Fact) -> str | None:
    """The venue the fact's summary names ("the Vietnamese defence ministry's headquarters")."""
    m = _VENUE.search(fact.summary)
    return m.group(1) if m else None


class Who(Intent):
    """ "Who met X?": the other people (else organisations) first."""

    name = "who"
    ranks = True

    def prefer(self, item: IndexedFact, query: Query) -> float:
        if not query.mentioned.issuperset(item.people):
            return 0.08
        return 0.02 if set(item.fact.actors) - query.mentioned else -0.05

    def direct(self, say: Wording, query: Query, fact: Fact) -> bool:
        """Someone besides those asked about, or a person asked about who took part."""
        people = say.index.kb.entities
        asked = [a for a in fact.actors if a in query.mentioned and people[a].type == "person"]
        return bool(say.people(fact, query) or asked)

    def lead(self, say: Wording, query: Query, fact: Fact) -> str:
        names = say.people(fact, query)
        return _listed(names)

    def lead_all(self, say: Wording, query: Query, facts: list[Fact]) -> str:
        """Everyone the question asks for on the best fact's day: the president who
        received a minister and the minister who held talks with him."""
        top = facts[0]
        same_day = [f for f in facts if f.date == top.date]
        names = list(dict.fromkeys(n for f in same_day for n in say.people(f, query)))
        return _listed(names)


class WhichBody(Intent):
    """ "Which body / organisation / ministry...?": the organisation first, before any list."""

    name = "which_body"
    kinds: ClassVar[tuple[str, ...]] = ("organisation", "company")

    def _bodies(self, say: Wording, query: Query, fact: Fact) -> list[str]:
        """Organisations the fact names besides those asked about, else companies."""
        entities = say.index.kb.entities
        others = [a for a in fact.actors if a not in query.mentioned]
        for kind in self.kinds:
            bodies = [a for a in others if entities[a].type == kind]
            if bodies:
                return bodies
        return []

    def lead(self, say: Wording, query: Query, fact: Fact) -> str:
        bodies = self._bodies(say, query, fact)
        return _listed([say.name(b) for b in bodies])


class WhichCountry(Intent):
    """ "Which countries signed...?": the countries of the best facts, besides those asked
    about: countries taking part, and the countries of the people and bodies taking part."""

    name = "which_country"
    own_terms = frozenset({"countri", "nation"})
    gathers = True

    def direct(self, say: Wording, query: Query, fact: Fact) -> bool:
        return bool(self.countries(say.index, query, [fact]))

    def gather(self, index: Index, query: Query, facts: list[Fact]) -> list[int]:
        """The first fact, then each that adds a country."""
        asked = _asked_countries(index, query)
        kept, seen = [0], _countries_of(index, facts[0]) - asked
        for n, fact in enumerate(facts[1:], 1):
            new = _countries_of(index, fact) - asked - seen
            if new:
                kept.append(n)
                seen |= new
        return kept

    def countries(self, index: Index, query: Query, facts: list[Fact]) -> list[str]:
        """The countries `facts` involve besides those the question names, in order."""
        asked = _asked_countries(index, query)
        found = [c for f in facts for a in f.actors for c in _homes(index, a) if c not in asked]
        return list(dict.fromkeys(found))

    def lead_all(self, say: Wording, query: Query, facts: list[Fact]) -> str:
        found = self.countries(say.index, query, facts)
        return _listed([say.name(c) for c in found])

    def lead(self, say: Wording, query: Query, fact: Fact) -> str:
        return self.lead_all(say, query, [fact])


def _homes(index: Index, entity_id: str) -> Iterable[str]:
    """A country itself, else the countries an entity belongs to."""
    if index.kb.entities[entity_id].type == "country":
        return [entity_id]
    return index.home(entity_id)


def _countries_of(index: Index, fact: Fact) -> set[str]:
    return {c for a in fact.actors for c in _homes(index, a)}


def _asked_countries(index: Index, query: Query) -> set[str]:
    """The countries a question names, and those of the people it names ("which nations
    did Giang visit"), not those of an agreement named for its parties ("the
    India-Vietnam logistics MoU")."""
    named = query.mentioned | set(query.countries)
    people = [e for e in named if index.kb.entities[e].type in ("person", "country")]
    return {c for e in people for c in _homes(index, e)}


class ListIntent(Intent):
    """ "Which companies...?", "list the pillars": the fact's list first."""

    name = "list"
    ranks = True

    def prefer(self, item: IndexedFact, query: Query) -> float:
        return 0.08 if item.fact.items else 0.0

    def lead(self, say: Wording, query: Query, fact: Fact) -> str:
        return say.bullets(query, fact) if fact.items else ""


class HowMuch(Intent):
    """ "How much...?": a sum of money the fact states, else "no figure"."""

    name = "how_much"
    cue_only = True
    ranks = True
    figure = True
    own_terms = frozenset({"money", "support", "upcoming", "pledge"})

    def prefer(self, item: IndexedFact, query: Query) -> float:
        return 0.1 if money_given(item.fact) else 0.0

    def fits(self, fact: Fact) -> bool:
        return money_given(fact)

    def refusal(self, say: Wording, query: Query, fact: Fact) -> str | None:
        return None if money_given(fact) else say.no_figure()

    def lead(self, say: Wording, query: Query, fact: Fact) -> str:
        return say.sums(fact)


class HowMany(Intent):
    """ "How many...?": a count the fact states, or the length of a list of exactly
    what is counted. Counting the kinds of things in another list is no figure."""

    name = "how_many"
    cue_only = True
    ranks = True
    figure = True
    own_terms = frozenset({"number", "total"})

    def prefer(self, item: IndexedFact, query: Query) -> float:
        return 0.1 if count_given(item.fact) else 0.04 if item.fact.items else 0.0

    def fits(self, fact: Fact) -> bool:
        return count_given(fact) or bool(fact.items)

    def refusal(self, say: Wording, query: Query, fact: Fact) -> str | None:
        if say.counted_amount(query, fact) or (fact.items and say.counts_items(query, fact)):
            return None
        return None if say.counted_in_text(query, fact) else say.no_figure()

    def settles(self, say: Wording, query: Query, fact: Fact) -> bool:
        """The fact's text counts exactly what is asked ("two decommissioned naval
        vessels" for "how many retired navy ships")."""
        return bool(say.counted_in_text(query, fact))

    def lead(self, say: Wording, query: Query, fact: Fact) -> str:
        return say.count(query, fact)


class Duration(Intent):
    """ "How long did X last?": computed from the fact's date range."""

    name = "duration"
    cue_only = True
    ranks = True
    figure = True
    own_terms = frozenset({"last", "durat", "visit", "run", "stay", "take", "spend", "spent"})

    def prefer(self, item: IndexedFact, query: Query) -> float:
        return 0.15 if self.fits(item.fact) else 0.0

    def fits(self, fact: Fact) -> bool:
        """A date range, or a stated length of time ("45 years of relations", "the 30th
        anniversary of diplomatic relations")."""
        return (
            fact.date.precision == "range"
            or any(a.unit in TIME_UNITS for a in fact.amounts)
            or bool(beginnings(fact))
            or days_stated(fact) is not None
        )

    def refusal(self, say: Wording, query: Query, fact: Fact) -> str | None:
        if fact.date.precision == "range" or say.stated_time(query, fact):
            return None
        return say.no_figure()

    def lead(self, say: Wording, query: Query, fact: Fact) -> str:
        return say.duration(fact) or say.stated_time(query, fact)


class YesNo(Intent):
    """ "Did X join Y?": "Yes — X." when a fact says so."""

    name = "yes_no"

    def settles(self, say: Wording, query: Query, fact: Fact) -> bool:
        return say.verdict(query, fact) is not None

    def direct(self, say: Wording, query: Query, fact: Fact) -> bool:
        """No "yes" from a plan: "was the MoA signed?" when it was only expected."""
        return fact.status != "announced" and not planned_only(say, query, fact)

    def lead(self, say: Wording, query: Query, fact: Fact) -> str:
        return say.verdict(query, fact) or say.denial(query, fact) or say.yes(query, fact)


class Timeline(Intent):
    """ "What happened on 18 December?": the facts of a day, period or entity in order."""

    name = "timeline"


class Profile(Intent):
    """ "Who is X?", "tell me about X": a card with roles and key facts."""

    name = "who_is"


class SmallTalk(Intent):
    """Greetings, thanks, "who are you?": a short reply from the message catalogue."""

    name = "smalltalk"


class Help(Intent):
    """ "help", "what can you do?": what attache answers, with examples."""

    name = "help"
