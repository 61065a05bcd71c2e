"""Follow-up questions: what "that", "he", "there" and "and on the 19th?" refer to.

A `Context` keeps what the previous turn was about (the entities it named, its
dates, its intent and the facts of its answer). It is plain data, serialisable with
`to_json`/`from_json`, so a chat surface can store it per conversation; it expires
after a day. `resolve` turns a follow-up into a complete query, or says that the
question refers to something there is no previous turn for.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from bot.dates import DateSpan, day_span
from bot.index import Index
from bot.knowledge import Entity, Fact
from bot.query import Query

LIFETIME = dt.timedelta(days=1)
# Words that point back at the previous turn, folded.
_REFERS_EN = re.compile(r"\b(that|this|it|those|these|there|then|else|others?)\b")
_REFERS_VI = re.compile(r"\b(do|ay|nay|kia|khac|nua)\b")
_PERSON = re.compile(r"\b(he|him|his|she|her|hers|ong ay|ba ay|anh ay|chi ay|ong ta|ba ta)\b")
_GROUP = re.compile(r"\b(they|them|their|ho|hai ben)\b")
_ELLIPSIS = re.compile(r"^(?:and|also|what about|how about|what of|and what about|con|vay con)\b")
_BARE_DAY = re.compile(r"\b(?:the\s+|ngay\s+)?(\d{1,2})(?:st|nd|rd|th)?\b")
_OTHERS = re.compile(r"\b(else|other|others|khac|nua)\b")


@dataclass(frozen=True)
class Context:
    """What the previous turn of a conversation was about."""

    named: tuple[str, ...] = ()  # entities the question named
    entities: tuple[str, ...] = ()  # those, then the entities of the answer's facts
    people: tuple[str, ...] = ()  # people, most salient first ("he", "she")
    answered_people: tuple[str, ...] = ()  # people the answer named ("who else")
    terms: tuple[str, ...] = ()  # the question's content terms ("and Giang?" reuses them)
    dates: tuple[DateSpan, ...] = ()  # the dates the question named
    fact_dates: tuple[DateSpan, ...] = ()  # the dates of the answer's facts
    intent: str = ""
    facts: tuple[str, ...] = ()  # ids of the facts the answer used
    lang: str = "en"
    created_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))

    def expired(self, now: dt.datetime | None = None) -> bool:
        """True once a day has passed since the turn it records."""
        return (now or dt.datetime.now(dt.UTC)) - self.created_at > LIFETIME

    def to_json(self) -> str:
        return json.dumps(
            {
                "named": list(self.named),
                "entities": list(self.entities),
                "terms": list(self.terms),
                "people": list(self.people),
                "answered_people": list(self.answered_people),
                "dates": [_span_json(d) for d in self.dates],
                "fact_dates": [_span_json(d) for d in self.fact_dates],
                "intent": self.intent,
                "facts": list(self.facts),
                "lang": self.lang,
                "created_at": self.created_at.isoformat(),
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> Context:
        """The context `to_json` wrote (raises ValueError on anything else)."""
        try:
            data = json.loads(text)
            return cls(
                named=tuple(data["named"]),
                entities=tuple(data["entities"]),
                terms=tuple(data.get("terms", ())),
                people=tuple(data["people"]),
                answered_people=tuple(data.get("answered_people", ())),
                dates=tuple(_span(d) for d in data["dates"]),
                fact_dates=tuple(_span(d) for d in data["fact_dates"]),
                intent=str(data["intent"]),
                facts=tuple(data["facts"]),
                lang=str(data.get("lang", "en")),
                created_at=dt.datetime.fromisoformat(data["created_at"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"not a conversation context: {exc}") from None


def _span_json(span: DateSpan) -> list[object]:
    return [span.start.isoformat(), span.end.isoformat(), span.precision, span.year_known]


def _span(data: list[object]) -> DateSpan:
    start, end, precision, year_known = data
    if precision not in ("day", "month", "year", "range"):
        raise ValueError(f"unknown precision {precision!r}")
    return DateSpan(
        dt.date.fromisoformat(str(start)),
        dt.date.fromisoformat(str(end)),
        precision,
        bool(year_known),
    )


@dataclass(frozen=True)
class FollowUp:
    """A question read against the previous turn."""

    query: Query
    pool: frozenset[str] | None = None  # fact ids the answer must come from
    dangling: str | None = None  # the word that refers to nothing


def _spaced(query: Query) -> str:
    return " ".join(query.words)


def refers_back(query: Query) -> str | None:
    """The word by which `query` points at an earlier turn, if it needs one to be read."""
    spaced = _spaced(query)
    if query.unresolved or query.unknown or query.card:
        return None  # it names something, even if the base does not know it
    named = bool(query.entity_groups or query.countries)
    for pattern in (_PERSON, _GROUP):
        m = pattern.search(spaced)
        if m and not named:
            return m.group(1)
    if named or len(query.words) > 8:
        return None
    m = _REFERS_EN.search(spaced) if query.lang == "en" else _REFERS_VI.search(spaced)
    if m and len(query.terms) <= 2:
        return m.group(1)
    if not query.terms and not query.dates:
        return spaced.split()[0] if spaced else "that"
    return None


def resolve(query: Query, context: Context | None, index: Index) -> FollowUp:
    """`query` completed from `context` when it is a follow-up; as it is otherwise."""
    word = refers_back(query)
    spaced = _spaced(query)
    elliptic = bool(_ELLIPSIS.search(spaced))
    about_person = _about_someone(query)
    if word is None and not elliptic and not about_person:
        return FollowUp(query)
    if context is None or context.expired():
        if word is None or query.dates:
            return FollowUp(query)
        return FollowUp(query, dangling=word)
    if about_person and context.people:
        return FollowUp(replace(query, card=context.people[0]))
    mentioned = set(query.mentioned)
    groups = list(query.entity_groups)
    pool: frozenset[str] | None = None
    others = bool(_OTHERS.search(spaced))
    if _PERSON.search(spaced) and context.people:
        groups.append(frozenset({context.people[0]}))
    elif _GROUP.search(spaced) and not groups and len(context.people) > 1:
        groups += [frozenset({p}) for p in context.people[:2]]
    elif others and not groups:
        kinds = ("event", "agreement", "place")
        kept = sorted(
            (e for e in context.entities if index.kb.entities[e].type in kinds),
            key=lambda e: kinds.index(index.kb.entities[e].type),
        )
        groups += [frozenset({e}) for e in kept[:1]]
    elif elliptic and not groups and not query.countries:
        groups += [frozenset({e}) for e in context.named if e not in index.country_ids]
    elif not groups and not query.countries:
        kept = [e for e in context.entities if e not in index.country_ids]
        mentioned |= set(context.entities)
        if query.terms and word not in _IT:
            groups += [frozenset({e}) for e in kept[:2]]
        else:  # "when was that?", "who announced it?": the previous answer's facts
            groups.append(frozenset(kept[:2]))
            pool = frozenset(context.facts)
    for group in groups:
        mentioned |= group
    excluded = set(query.excluded)
    if others:
        excluded |= {*context.answered_people, *context.people, *context.named}
        mentioned |= excluded
    terms = list(query.terms)
    if elliptic and not terms:
        terms = list(context.terms)
    dates = list(query.dates)
    if not dates:
        dates = _bare_days(spaced, context)
        terms = [t for t in terms if not _BARE_DAY.fullmatch(t)] if dates else terms
    if not dates and _SAME_TIME.search(spaced):
        dates = list(context.fact_dates[:1] or context.dates)
    if not dates and not elliptic:
        dates = list(context.dates or (context.fact_dates[:1] if others and not groups else ()))
    intent = query.intent
    if intent == "what" and elliptic and context.intent:
        intent = context.intent
    completed = replace(
        query,
        entity_groups=groups,
        mentioned=mentioned,
        excluded=excluded - {e for g in groups for e in g},
        dates=dates,
        terms=terms,
        intent=intent,
        card=None,
    )
    return FollowUp(completed, pool=pool)


def _about_someone(query: Query) -> bool:
    """ "who's he?", "cấp bậc gì?": a question about a person that names nobody."""
    if query.entity_groups or query.countries or query.dates:
        return False
    if query.intent == "who" and _PERSON.search(_spaced(query)) and not query.terms:
        return True
    return bool(query.terms) and all(t in _PROFILE_TERMS for t in query.terms)


_IT = frozenset({"it", "that", "this", "those", "these", "do", "ay", "nay"})
_PROFILE_TERMS = frozenset({"rank", "posit", "position", "role", "titl", "job", "profil", "bio"})
_SAME_TIME = re.compile(r"\b(that day|same day|that week|then|hom do|ngay do|luc do)\b")


def _bare_days(spaced: str, context: Context) -> list[DateSpan]:
    """ "the 19th" read in the month and year of the previous turn's date."""
    if not (context.dates or context.fact_dates):
        return []
    base = (context.dates or context.fact_dates)[0]
    out = []
    for m in _BARE_DAY.finditer(spaced):
        try:
            out.append(day_span(base.start.replace(day=int(m.group(1)))))
        except ValueError:
            continue
    return out


def after(query: Query, facts: list[Fact], entities: Mapping[str, Entity]) -> Context:
    """The context a turn leaves for the next one: what it named, then what it answered."""
    named = [e for g in query.entity_groups if len(g) == 1 for e in g] + list(query.countries)
    named = [query.card, *named] if query.card and query.card not in named else named
    actors = [a for f in facts for a in (*f.actors, f.place, f.event) if a]
    answered = [
        a
        for f in facts[:1]
        if query.card is None
        for a in f.actors
        if a not in query.mentioned and a in entities
    ]
    first = [*answered, *named] if query.intent == "who" and answered else [*named, *answered]
    people = [e for e in dict.fromkeys([*first, *actors])]
    return Context(
        named=tuple(named),
        entities=tuple(dict.fromkeys([*named, *actors])),
        people=tuple(e for e in people if entities[e].type == "person"),
        answered_people=tuple(e for e in answered if entities[e].type == "person"),
        terms=tuple(query.terms),
        dates=tuple(query.dates),
        fact_dates=tuple(dict.fromkeys(f.date for f in facts)),
        intent=query.intent,
        facts=tuple(f.id for f in facts),
        lang=query.lang,
    )
