"""Question -> Answer: retrieval, ranking, abstention and the wording of the answer.

Ranking is coverage: the share of what the question names (entities, weighted by
rarity, then content terms by IDF) that a fact covers. Named people, organisations,
places and events are required, never traded for a near neighbour. Below a coverage
threshold, or when the question names something the base does not know, the engine
abstains and says what it can answer instead: a confident wrong answer is the worst
outcome.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, replace

from bot import bounded, cache, compose
from bot.answer import Answer, Citation, FactRef
from bot.dates import DateSpan
from bot.index import Index, IndexedFact, build
from bot.knowledge import Fact, KnowledgeBase, load, resolve_path
from bot.query import Query, parse
from bot.text import clean

MAX_QUESTION_CHARS = 500
ANSWER_THRESHOLD = 0.6  # minimum coverage for an answer
RUNNER_UP_RATIO = 0.92  # a second fact joins the answer when it scores this close
MIN_TERM_COVERAGE = 0.34  # share of the question's content words the answer must cover
CANDIDATE_DF_CAP = 5000  # terms in more facts than this do not generate candidates
COMMON_COUNTRY_SHARE = 0.4  # a country in more facts than this is a preference, not a must
OOV_WEIGHT = {"en": 0.8, "vi": 0.35}  # share of the top IDF given to never-seen words

_PRECISE = {"day": 0.06, "range": 0.06, "month": 0.03, "year": 0.0}


@dataclass(frozen=True)
class Scored:
    score: float
    term_coverage: float
    item: IndexedFact


class Engine:
    """Answers questions from one loaded fact base. Safe to share across threads."""

    def __init__(self, kb: KnowledgeBase, index: Index | None = None) -> None:
        self.kb = kb
        self.index: Index = index or build(kb)

    @classmethod
    def from_path(
        cls, path: str | os.PathLike[str] | None = None, use_cache: bool = True
    ) -> Engine:
        """Load, validate and index the fact base at `path` (raises KnowledgeBaseError).

        With `use_cache`, a base already validated and indexed is read back from the
        cache (see bot.cache), which is what keeps a restart fast at 100,000 facts."""
        if not use_cache:
            with cache.paused_gc():
                return cls(load(path))
        root = resolve_path(path)
        key = cache.fingerprint(root) if root.is_dir() else ""
        with cache.paused_gc():
            index = cache.load_index(key, root) if key else None
        if index is not None:
            return cls(index.kb, index)
        with cache.paused_gc():
            engine = cls(load(root))
        if key:
            cache.store_index(engine.index, key)
        return engine

    # --- public ---------------------------------------------------------------------

    def ask(self, question: str, today: dt.date | None = None) -> Answer:
        text = clean(question or "")
        problem = _bad_input(text)
        if problem:
            return Answer(question, False, problem, intent="invalid")
        query = parse(text, self.index, today)
        say = compose.Wording(query.lang, self.index)
        if query.unknown:
            return self._abstain(question, say.unknown(query.unknown))
        if query.unresolved:
            return self._abstain(question, say.unresolved(query.unresolved))

        in_dates, resolved = self._date_filter(query)
        if in_dates is not None and not in_dates:
            return self._abstain(question, say.nothing_on(resolved or query.dates))
        if query.card and (in_dates is None or query.intent != "timeline"):
            return self._card(question, query, say)
        if query.intent == "timeline" or (
            in_dates is not None and not query.terms and not query.entity_groups
        ):
            return self._timeline(question, query, in_dates, resolved, say)
        return self._search(question, query, in_dates, say)

    def stats(self) -> dict[str, object]:
        return {
            "facts": len(self.kb.facts),
            "sources": len(self.kb.sources),
            "entities": len(self.kb.entities),
            "first": self.index.first_day.strftime("%B %Y"),
            "last": self.index.last_day.strftime("%B %Y"),
        }

    # --- steps ----------------------------------------------------------------------

    def _date_filter(self, query: Query) -> tuple[set[int] | None, list[DateSpan]]:
        """Facts on the question's dates (None when it names none), and the dates as read."""
        if not query.dates:
            return None, []
        spans: list[DateSpan] = []
        for span in query.dates:
            if span.year_known:
                spans.append(span)
            else:
                spans += [span.in_year(y) for y in self.index.years_with(span)]
        found: set[int] = set()
        for span in spans:
            found.update(self.index.overlapping(span))
        return found, spans

    def _required(self, query: Query) -> tuple[list[frozenset[str]], list[str]]:
        """Entity groups every answer must match, and countries it should prefer.

        A country named in most facts (Vietnam here) says little, so it only
        counts towards the score; any other country must be in the answer."""
        limit = COMMON_COUNTRY_SHARE * len(self.index.facts)
        rare = [c for c in query.countries if len(self.index.entity_postings.get(c, ())) <= limit]
        soft = [c for c in query.countries if c not in rare]
        return [*query.entity_groups, *(frozenset({c}) for c in rare)], soft

    def _candidates(self, query: Query, in_dates: set[int] | None) -> set[int]:
        index = self.index
        groups, soft = self._required(query)
        if groups:
            sets = [
                {n for e in group for n in index.entity_postings.get(e, ())} for group in groups
            ]
            found = set.intersection(*sets)
        else:
            keys = [t for t in query.terms if t in index.postings]
            keys += [c for c in soft if c in index.entity_postings]
            postings = [index.postings.get(k) or index.entity_postings.get(k, []) for k in keys]
            postings.sort(key=len)
            found = set()
            for plist in postings:
                if found and len(plist) > CANDIDATE_DF_CAP:
                    break
                found.update(plist)
        return found & in_dates if in_dates is not None else found

    def _rank(self, query: Query, candidates: set[int]) -> list[Scored]:
        index = self.index
        groups, soft = self._required(query)
        entity_units = [(g, 1.5 + max(index.entity_idf(e) for e in g)) for g in groups]
        country_units = [(c, 0.5 * index.entity_idf(c)) for c in soft]
        unseen = OOV_WEIGHT[query.lang] * index.max_idf
        term_weights = {t: index.idf(t) if t in index.postings else unseen for t in query.terms}
        asked_terms = frozenset(term_weights)
        term_total = sum(term_weights.values())
        total = term_total + sum(w for _, w in entity_units) + sum(w for _, w in country_units)
        if total <= 0:
            return []
        wanted = _INTENT_PREFERENCE.get(query.intent)
        ranked: list[Scored] = []
        for n in candidates:
            item = index.facts[n]
            term_got = sum(term_weights[t] for t in asked_terms.intersection(item.terms))
            got = 0.0
            for group, weight in entity_units:
                if not group.isdisjoint(item.actors):
                    got += weight
                elif not group.isdisjoint(item.mentioned):
                    got += 0.85 * weight
            for country, weight in country_units:
                if country in item.actors or country in item.mentioned:
                    got += weight
            score = (got + term_got) / total
            if wanted is not None:
                score += wanted(item, query)
            if "say" in query.terms and _speaker(item.fact) in query.mentioned:
                score += 0.06
            elif item.fact.actors[0] in query.mentioned or item.fact.actors[0] in query.countries:
                score += 0.03  # the first actor is the fact's subject
            score -= 0.02 * min(2.0, item.length / index.avg_length)
            ranked.append(Scored(score, term_got / term_total if term_total else 1.0, item))
        ranked.sort(key=lambda s: (-s.score, s.item.fact.id))
        return ranked

    def _search(
        self, question: str, query: Query, in_dates: set[int] | None, say: compose.Wording
    ) -> Answer:
        ranked = self._rank(query, bounded.cap(self.index, self._candidates(query, in_dates)))
        ranked = [s for s in ranked if s.term_coverage >= MIN_TERM_COVERAGE]
        if not ranked or ranked[0].score < ANSWER_THRESHOLD:
            return self._abstain(question, say.dont_know())
        top = ranked[0]
        if query.intent == "how_much":
            top = next(
                (s for s in ranked[:5] if _money(s.item.fact) and s.score >= ANSWER_THRESHOLD), None
            )
            if top is None:
                return self._abstain(question, say.no_figure())
        elif query.intent == "how_many":
            top = next(
                (
                    s
                    for s in ranked[:5]
                    if (_counts(s.item.fact) or s.item.fact.items) and s.score >= ANSWER_THRESHOLD
                ),
                None,
            )
            if top is None:
                return self._abstain(question, say.no_figure())
        chosen = [top]
        for other in ranked[1:3]:
            if other.score >= RUNNER_UP_RATIO * top.score and other.item is not top.item:
                chosen.append(other)
        text, used = say.answer(query, [s.item for s in chosen])
        return self._answered(question, text, used, min(1.0, top.score), query.intent)

    def _timeline(
        self,
        question: str,
        query: Query,
        in_dates: set[int] | None,
        resolved: list[DateSpan],
        say: compose.Wording,
    ) -> Answer:
        named = [*query.entity_groups, *(frozenset({c}) for c in query.countries)]
        if in_dates is None and not named:
            return self._abstain(question, say.need_date())
        pool = in_dates if in_dates is not None else set(range(len(self.index.facts)))
        for group in named if in_dates is None else query.entity_groups:
            pool = bounded.involving(self.index, pool, group)
        if not pool:
            return self._abstain(question, say.nothing_on(resolved or query.dates))
        text, used = bounded.timeline(say, resolved, self.index, pool)
        return self._answered(question, text, used, 1.0, "timeline")

    def _card(self, question: str, query: Query, say: compose.Wording) -> Answer:
        entity = self.kb.entities[query.card or ""]
        text, used = say.card(entity, bounded.card_facts(self.index, entity.id))
        extra = tuple(Citation.of(self.kb.sources[r.source]) for r in entity.roles)
        return replace(self._answered(question, text, used, 1.0, "who_is"), extra_citations=extra)

    # --- answers --------------------------------------------------------------------

    def _answered(
        self, question: str, text: str, facts: list[Fact], confidence: float, intent: str
    ) -> Answer:
        refs = tuple(FactRef(f, Citation.of(self.kb.sources[f.source])) for f in facts)
        return Answer(question, True, text, confidence, refs, intent)

    def _abstain(self, question: str, text: str) -> Answer:
        return Answer(question, False, text, 0.0, (), "abstain")


def _speaker(fact: Fact) -> str:
    """Who said it: the quote's author, else the first actor (the subject, by convention)."""
    return fact.quote.by if fact.quote else fact.actors[0]


def _money(fact: Fact) -> bool:
    return any(a.unit in compose.CURRENCIES for a in fact.amounts)


def _counts(fact: Fact) -> bool:
    return any(a.unit not in compose.CURRENCIES for a in fact.amounts)


def _prefer_when(item: IndexedFact, query: Query) -> float:
    bonus = _PRECISE[item.span.precision]
    if item.fact.kind != "statement":
        bonus += 0.05
    if item.fact.status == "announced":
        bonus -= 0.04
    return bonus


def _prefer_who(item: IndexedFact, query: Query) -> float:
    """Facts that name people besides those asked about answer "who" best."""
    if not query.mentioned.issuperset(item.people):
        return 0.08
    return 0.02 if set(item.fact.actors) - query.mentioned else -0.05


def _prefer_list(item: IndexedFact, query: Query) -> float:
    return 0.08 if item.fact.items else 0.0


def _prefer_money(item: IndexedFact, query: Query) -> float:
    return 0.1 if _money(item.fact) else 0.0


def _prefer_count(item: IndexedFact, query: Query) -> float:
    return 0.1 if _counts(item.fact) else 0.04 if item.fact.items else 0.0


def _prefer_where(item: IndexedFact, query: Query) -> float:
    return 0.08 if item.fact.place else 0.0


_INTENT_PREFERENCE = {
    "when": _prefer_when,
    "who": _prefer_who,
    "list": _prefer_list,
    "how_much": _prefer_money,
    "how_many": _prefer_count,
    "where": _prefer_where,
}


def _bad_input(text: str) -> str | None:
    if not text:
        return "Please ask a question, for example: who met the Lao defence minister?"
    if len(text) > MAX_QUESTION_CHARS:
        return (
            f"That question is {len(text):,} characters long; please ask in under "
            f"{MAX_QUESTION_CHARS} characters, one question at a time."
        )
    if not any(c.isalnum() for c in text):
        return "I couldn't find any words in that. Ask a question, for example: what happened on 9 September 2024?"
    return None
