"""Question -> Answer: retrieval, ranking, abstention and the wording of the answer.

Ranking is coverage: the share of what the question names (entities, weighted by
rarity, then content terms by IDF) that a fact covers. Named people, organisations,
places and events are required, never traded for a near neighbour. Whether the best
match answers the question is decided by a calibrated model (bot.decision); when the
question names something the base does not know, the engine abstains and says what it
can answer instead: a confident wrong answer is the worst outcome.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Container, Sequence
from dataclasses import dataclass, replace

from bot import (
    bounded,
    cache,
    compose,
    conversation,
    dates,
    decision,
    intents,
    intervals,
    names_asked,
    smalltalk,
)
from bot.answer import Answer, Citation, FactRef
from bot.conversation import Context
from bot.dates import DateSpan, month_span, year_span
from bot.dates import day_span as dt_span
from bot.index import Index, IndexedFact, build
from bot.knowledge import Entity, Fact, KnowledgeBase, Role, load, resolve_path, serve_drafts
from bot.lexicon import language
from bot.lexicon.language import LANGUAGES
from bot.messages import say
from bot.query import Query, parse, translate
from bot.text import clean, tokens

MAX_QUESTION_CHARS = 500
CARD_FACTS = 3  # facts a "who is X" / "tell me about X" answer lists
_OFFICE = frozenset({"office", "served", "serving", "tenure", "term", "post", "chuc", "nhiem"})
HEADLINE_BONUS = 0.06  # for a fact whose headline has the question's words
HEADLINE_RERANK = 12  # leading candidates whose headlines are compared
SCENE_WEIGHT = 0.5  # a term only in a clause setting the scene ("when they met")
RUNNER_UP_RATIO = 0.92  # a second fact joins the answer when it scores this close
# A gathering answer ("which countries...") looks this far down the ranking, this close
GATHER_POOL, GATHER_RATIO = 8, 0.8
RARE_IDF_SHARE = 0.5  # a term is rare when its IDF is at least this share of the top IDF
OPEN = ("what", "list", "timeline")  # intents that take what a fact says about their topic
YES_RARE_IDF = 0.75  # a "yes" needs the fact to have every question word at least this rare
CANDIDATE_DF_CAP = 5000  # terms in more facts than this do not generate candidates
COMMON_COUNTRY_SHARE = 0.4  # a country in more facts than this is a preference, not a must
OOV_WEIGHT = {"en": 0.8, "vi": 0.35}  # share of the top IDF given to never-seen words


@dataclass(frozen=True)
class Scored:
    """A candidate fact and how well it matches the question."""

    score: float
    term_coverage: float
    item: IndexedFact
    rare_coverage: float = 1.0
    entity_agreement: float = 1.0
    intent_fit: float = 0.5


@dataclass(frozen=True)
class Candidate:
    """The facts an answer would use, and the decision model's view of them."""

    chosen: list[Scored]
    features: dict[str, float]
    probability: float


class Engine:
    """Answers questions from one loaded fact base. Safe to share across threads."""

    def __init__(
        self, kb: KnowledgeBase, index: Index | None = None, model: decision.Model | None = None
    ) -> None:
        self.kb = kb
        self.index: Index = index or build(kb)
        self.model = model or decision.load()
        self.ordinals = frozenset(
            self.index.analyzer.terms(
                [w for lang in LANGUAGES for p in language.load(lang).ordinals for w in p]
            )
        )

    @classmethod
    def from_path(
        cls,
        path: str | os.PathLike[str] | None = None,
        use_cache: bool = True,
        drafts: bool | None = None,
    ) -> Engine:
        """Load, validate and index the fact base at `path` (raises KnowledgeBaseError);
        facts awaiting review only with `drafts` (default: $ATTACHE_SERVE_DRAFTS).

        With `use_cache`, a base already validated and indexed is read back from the
        cache (see bot.cache), which is what keeps a restart fast at 100,000 facts."""
        drafts = serve_drafts(drafts)
        if not use_cache:
            with cache.paused_gc():
                return cls(load(path, drafts))
        root = resolve_path(path)
        key = cache.index_key(root, drafts) if root.is_dir() else ""
        with cache.paused_gc():
            index = cache.load_index(key, root) if key else None
        if index is not None:
            return cls(index.kb, index)
        with cache.paused_gc():
            engine = cls(load(root, drafts))
        if key:
            cache.store_index(engine.index, key)
        return engine

    # --- public ---------------------------------------------------------------------

    def ask(
        self, question: str, today: dt.date | None = None, context: Context | None = None
    ) -> Answer:
        """Answer `question`; `context` (the previous turn's `Answer.context`) lets it be a
        follow-up. The answer carries the context for the next turn."""
        text = clean(question or "")
        problem = _bad_input(text)
        if problem:
            return Answer(question, False, problem, intent="invalid", context=context)
        talk = smalltalk.classify(text)
        if talk is not None:
            reply = say(
                talk.lang, "help" if talk.intent == "help" else f"smalltalk.{talk.category}"
            )
            return Answer(question, False, reply, intent=talk.intent, context=context)
        follow = conversation.resolve(parse(text, self.index, today), context, self.index)
        query = follow.query
        if follow.dangling is not None:
            reply = say(query.lang, "need_referent", word=follow.dangling)
            return Answer(question, False, reply, intent="clarify", context=context)
        answer = self._reply(question, query, self._numbers(follow.pool), today)
        if not answer.facts:
            return replace(answer, context=context)
        facts = [f.fact for f in answer.facts]
        return replace(answer, context=conversation.after(query, facts, self.kb.entities))

    def _numbers(self, ids: frozenset[str] | None) -> set[int] | None:
        """Fact numbers of fact ids (None stays None)."""
        if ids is None:
            return None
        return self.index.numbers(ids)

    def _reply(
        self, question: str, query: Query, pool: set[int] | None, today: dt.date | None = None
    ) -> Answer:
        say = compose.Wording(query.lang, self.index)
        if query.unknown:
            return self._abstain(question, say.unknown(query.unknown))
        if query.unresolved:
            return self._abstain(question, say.unresolved(query.unresolved))

        shifted = self._shifted(query) if not query.dates else None
        if shifted is not None:
            query, in_dates, resolved = shifted
        else:
            in_dates, resolved = self._date_filter(query)
        if in_dates is None and (days := dates.bare_days(query.text)):
            in_dates, resolved = self._on_days_of_month([d for d, _ in days])
            typed = self.index.analyzer.terms([t for _, typed in days for t in tokens(typed)])
            query = replace(query, terms=[t for t in query.terms if t not in typed])
        if in_dates is not None and not in_dates:
            return self._abstain(question, say.nothing_on(resolved or query.dates))
        if pool is not None:
            return self._search(question, query, pool, say, trusted=True)
        if (picked := intervals.choice(query.words)) and (
            ordered := self._order(question, query, picked, in_dates, say)
        ):
            return ordered
        if query.intent == "duration" and (sides := intervals.split(query.words)):
            return self._interval(question, query, sides, say)
        if query.intent == "duration" and (held := self._tenure(query)):
            return self._held(question, held, today or dt.date.today(), say)
        if query.card and (in_dates is None or query.intent != "timeline"):
            return self._card(question, query, say)
        if query.intent == "timeline" or (
            in_dates is not None
            and not query.terms
            and not query.entity_groups
            and not intents.get(query.intent).figure  # a day's events are no sum or count
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
        """Facts on the question's dates (None when it names none), and the dates as read.

        An ambiguous numeric date ("9/11") is read day first, and month first when the
        base has nothing on the day-first reading."""
        if not query.dates:
            return None, []
        others = query.other_readings or [None] * len(query.dates)
        found: set[int] = set()
        read: list[DateSpan] = []
        for span, other in zip(query.dates, others, strict=True):
            hits, spans = self._on(span)
            if not hits and other is not None:
                other_hits, other_spans = self._on(other)
                if other_hits:
                    hits, spans = other_hits, other_spans
            found |= hits
            read += spans
        return found, read

    def _on_days_of_month(self, days: list[int]) -> tuple[set[int] | None, list[DateSpan]]:
        """Facts on the given days of any month ("on the 8th"); None when none has facts."""
        spans = [
            dt_span(dt.date(year, month, day))
            for day in days
            for month in range(1, 13)
            for year in sorted(self.index.day_years.get((month, day), ()))
        ]
        found = {n for span in spans for n in self.index.overlapping(span)}
        return (found, spans) if found else (None, [])

    def _on(self, span: DateSpan) -> tuple[set[int], list[DateSpan]]:
        """Facts on one date; a date without a year is tried in every year the base has."""
        spans = (
            [span] if span.year_known else [span.in_year(y) for y in self.index.years_with(span)]
        )
        found: set[int] = set()
        for each in spans:
            found.update(self.index.overlapping(each) or self._in_month_of(each))
        return found, spans

    def _in_month_of(self, span: DateSpan) -> list[int]:
        """Facts dated only by the month a part-month span ("late October 2025") is in."""
        if span.precision != "range" or (span.start.year, span.start.month) != (
            span.end.year,
            span.end.month,
        ):
            return []
        month = month_span(span.start.year, span.start.month)
        return [n for n in self.index.overlapping(month) if self.index.facts[n].span == month]

    def _required(self, query: Query) -> tuple[list[frozenset[str]], list[str]]:
        """Entity groups every answer must match, and countries it should prefer.

        A country named in most facts (Vietnam here) says little, so it only
        counts towards the score; any other country must be in the answer."""
        limit = COMMON_COUNTRY_SHARE * len(self.index.facts)
        rare = [c for c in query.countries if self.index.entity_postings.df(c) <= limit]
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
            postings: list[Sequence[int]] = [
                index.postings.get(k) or index.entity_postings.get(k) or [] for k in keys
            ]
            postings.sort(key=len)
            found = set()
            for plist in postings:
                if found and len(plist) > CANDIDATE_DF_CAP:
                    break
                found.update(plist)
        return found & in_dates if in_dates is not None else found

    def _term_weights(self, query: Query) -> dict[str, float]:
        """IDF of each content term; a word the base never uses weighs a share of the top IDF."""
        index = self.index
        unseen = OOV_WEIGHT[query.lang] * index.max_idf
        weights = {t: index.idf(t) if t in index.postings else unseen for t in query.terms}
        for t in query.scene_terms:  # the scene counts less than what is asked about it
            weights[t] *= SCENE_WEIGHT
        return weights

    def _rank(self, query: Query, candidates: set[int]) -> list[Scored]:
        index = self.index
        groups, soft = self._required(query)
        entity_units = [(g, 1.5 + max(index.entity_idf(e) for e in g)) for g in groups]
        country_units = [(c, 0.5 * index.entity_idf(c)) for c in soft]
        term_weights = self._term_weights(query)
        rare = {t: w for t, w in term_weights.items() if w >= RARE_IDF_SHARE * index.max_idf}
        asked_terms = frozenset(term_weights)
        term_total = sum(term_weights.values())
        rare_total = sum(rare.values())
        entity_total = sum(w for _, w in entity_units) + sum(w for _, w in country_units)
        total = term_total + entity_total
        if total <= 0:
            return []
        intent = intents.get(query.intent)
        ranked: list[Scored] = []
        for n in candidates:
            item = index.facts[n]
            if query.excluded and item.involves(frozenset(query.excluded)) and not item.fact.items:
                continue
            if query.excluded_terms and query.excluded_terms.issubset(item.terms):
                continue  # "besides denuclearisation": the fact about it is not the answer
            if not query.places.issubset(item.actors):
                continue  # "met in Hanoi": the fact must have happened there
            covered = asked_terms.intersection(item.terms)
            term_got = sum(term_weights[t] for t in covered)
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
            fit = 0.5
            if intent.ranks:
                bonus = intent.prefer(item, query)
                score += bonus
                fit = 1.0 if bonus > 0.02 else 0.0
            if "say" in query.terms and _speaker(item.fact) in query.mentioned:
                score += 0.06
            elif item.fact.actors[0] in query.mentioned or item.fact.actors[0] in query.countries:
                score += 0.03  # the first actor is the fact's subject
            score -= 0.02 * min(2.0, item.length / index.avg_length)
            ranked.append(
                Scored(
                    score,
                    term_got / term_total if term_total else 1.0,
                    item,
                    sum(rare[t] for t in covered if t in rare) / rare_total if rare_total else 1.0,
                    got / entity_total if entity_total else 1.0,
                    fit,
                )
            )
        ranked.sort(key=lambda s: (-s.score, s.item.fact.id))
        if asked_terms:  # among the leaders, what a fact is about beats a passing mention
            head = [
                replace(
                    s, score=s.score + HEADLINE_BONUS * self._in_headline(s.item.fact, asked_terms)
                )
                for s in ranked[:HEADLINE_RERANK]
            ]
            ranked[:HEADLINE_RERANK] = sorted(head, key=lambda s: (-s.score, s.item.fact.id))
        return ranked

    def _in_headline(self, fact: Fact, terms: frozenset[str]) -> float:
        """The share of `terms` a fact's headline has."""
        return len(terms & frozenset(self.index.analyzer.terms(tokens(fact.headline)))) / len(terms)

    def candidate(self, query: Query, in_dates: set[int] | None) -> Candidate | None:
        """The best match for `query` and how likely it is to answer it (None: no match)."""
        ranked = self._rank(query, bounded.cap(self.index, self._candidates(query, in_dates)))
        if not ranked:
            return None
        weights = self._term_weights(query)
        named = bool(self._required(query)[0])  # a common country (Vietnam) names little
        top = ranked[0]
        intent = intents.get(query.intent)
        if intent.figure:
            # a fact with the figure asked for, if it is as much about the question
            top = next(
                (
                    s
                    for s in ranked[:5]
                    if intent.fits(s.item.fact) and _misses(query, s) <= _misses(query, top)
                ),
                top,
            )
        runner_up = next((s.score for s in ranked if s is not top), 0.0)
        features = {
            "score": min(1.5, top.score),
            "term_coverage": top.term_coverage,
            "rare_coverage": top.rare_coverage,
            "entity_agreement": top.entity_agreement,
            "date_agreement": 1.0 if in_dates is not None else 0.0,
            "margin": max(-0.5, min(0.5, top.score - runner_up)),
            "intent_fit": top.intent_fit,
            "unseen_share": len(query.oov) / max(1, len(query.terms)),
            "missing_terms": min(4, len(set(query.terms) - set(top.item.terms))) / 4,
            "unseen_en": float(query.lang == "en" and any(len(w) > 3 for w in query.oov)),
            "unnamed_coverage": top.term_coverage if not named else 1.0,
            "vietnamese": float(query.lang == "vi"),
            "worst_miss": max(
                (weights[t] for t in query.terms if t not in top.item.terms), default=0.0
            )
            / self.index.max_idf,
        }
        probability = self.model.probability(features)
        if intent.gathers:  # "which countries...": each close match that adds to the answer
            pool = [top, *(s for s in ranked[:GATHER_POOL] if s is not top)]
            pool = [s for s in pool if s.score >= GATHER_RATIO * top.score]
            kept = intent.gather(self.index, query, [s.item.fact for s in pool])
            return Candidate([pool[n] for n in kept], features, probability)
        chosen = [top]
        for other in ranked[:3]:
            if other is not top and other.score >= RUNNER_UP_RATIO * top.score:
                chosen.append(other)
        return Candidate(chosen[:3], features, probability)

    def _search(
        self,
        question: str,
        query: Query,
        in_dates: set[int] | None,
        say: compose.Wording,
        trusted: bool = False,
    ) -> Answer:
        """The best match, if the model accepts it (`trusted`: the previous turn's facts)."""
        found = self.candidate(query, in_dates)
        if found is None:
            return self._abstain(question, say.dont_know())
        found, direct = self._direct_first(found, query, say)
        top = found.chosen[0]
        # a fact that settles the question's figure or place ("$130m?") needs no more
        # evidence than the closest match does
        settled = intents.get(query.intent).settles(say, query, top.item.fact)
        if found.probability < self.model.closest_at and not trusted:
            return self._abstain(question, say.dont_know())
        undated = query.intent == "when" and _reported_not_dated(top.item.fact)
        words = translate(query.words, self.index) if query.lang == "vi" else query.words
        typed = set(self.index.analyzer.terms(words))  # not words a follow-up inherited
        own = intents.get(query.intent).own_terms
        # an everyday English word no fact uses ("buy", not the typo "defnce") is a topic too
        words_unused = [w for w in query.oov if query.lang == "en" and w in self.index.ordinary]
        unused = set(self.index.analyzer.terms(words_unused))
        known = [
            t for t in query.terms if (t in unused or t in self.index.postings) and t in typed - own
        ]
        # none of its topic (unless the fact settles the question's figure or place)
        untouched = not settled and bool(known) and not set(known) & set(top.item.terms)
        indirect = not direct
        lacking = set(query.terms) - set(top.item.terms)
        # "the third ship", "the expo", "the 2030 vision": a fact without them is another one
        years = {
            str(y) for y in range(top.item.fact.date.start.year, top.item.fact.date.end.year + 1)
        }
        named_year = any(t.isdigit() and len(t) == 4 and t not in years for t in lacking)
        index = self.index
        other_one = named_year or any(
            t in self.ordinals or t in index.occasion_words or t in index.person_words
            for t in lacking
        )
        # a "yes" needs the fact to have the question's rarest words ("foreign minister")
        # (or more than one of its words); a name the base never uses is no "yes" either
        unanswered = [t for t in set(known) - set(top.item.terms) if not t.isdigit()]
        unsupported = (
            query.intent == "yes_no"
            and not settled
            and (
                any(len(w) > 3 for w in query.oov)
                or len(unanswered) > 1
                or any(
                    t not in self.index.postings
                    or self.index.idf(t) >= YES_RARE_IDF * self.index.max_idf
                    for t in unanswered
                )
            )
        )
        # "when did X sign a deal": a fact with little of that topic dates something else
        thin = (
            not settled
            and len(unanswered) > 1
            and top.term_coverage < 0.25
            and query.intent not in OPEN
        )
        partial = undated or untouched or unsupported or thin or indirect or other_one
        unseen = bool(query.unseen_topics) and not settled
        partial = partial or self._bystander(query, top) or unseen
        partial = partial or names_asked.lacks_name(query, top.item.fact, self.index)
        unsure = found.probability < self.model.answer_at and not settled
        if (unsure or partial) and not trusted:
            text = say.closest(top.item)
            return replace(
                self._answered(question, text, [top.item.fact], 0.0, "closest"), answered=False
            )
        intent = intents.get(query.intent)
        if intent.figure and not settled and _misses(query, top, self.index.postings):
            return self._abstain(question, say.no_figure())  # a figure about something else
        refusal = intent.refusal(say, query, top.item.fact)
        if refusal is not None:
            return self._abstain(question, refusal)
        text, used = say.answer(query, [s.item for s in found.chosen])
        return self._answered(question, text, used, found.probability, query.intent)

    def _direct_first(
        self, found: Candidate, query: Query, say: compose.Wording
    ) -> tuple[Candidate, bool]:
        """The best match that answers this kind of question directly, if another of the
        near-equal matches does and the best does not ("what did they sign?": the
        signing, not the announcement of one expected), and whether the one put first
        answers directly."""
        intent = intents.get(query.intent)
        direct = [s for s in found.chosen if intent.direct(say, query, s.item.fact)]
        if not direct:
            return found, False
        if direct[0] is found.chosen[0]:
            return found, True
        rest = [s for s in found.chosen if s is not direct[0]]
        return replace(found, chosen=[direct[0], *rest]), True

    def _bystander(self, query: Query, top: Scored) -> bool:
        """True when a rare country the question names is only mentioned in the fact, not
        one of its parties (a party is an actor or the country an actor belongs to): "when did Vietnam and China sign..." is not a Japan agreement
        that mentions China (what someone said about a country is not asked this way)."""
        if query.intent in OPEN:
            return False
        rare = [c for c in query.countries if frozenset({c}) in self._required(query)[0]]
        parties = set(top.item.actors)
        parties.update(c for a in top.item.actors for c in self.index.home(a))
        return any(c not in parties for c in rare)

    def _interval(
        self, question: str, query: Query, sides: intervals.Sides, say: compose.Wording
    ) -> Answer:
        """The time between two dated facts (or a fact and the question's date)."""
        earlier = sides.earlier
        first = parse(earlier, self.index)
        if sides.later is not None and not (first.terms or first.entity_groups):
            # "between the US and the French CSP": what the second side is applies to both
            names = {w for m in self.index.linker.mentions(sides.later.split()) for w in m.phrase}
            earlier += " " + " ".join(w for w in sides.later.split() if w not in names)
        start = self._dated(earlier, query)
        if start is None:
            return self._abstain(question, say.dont_know())
        if sides.later is not None:
            end = self._dated(sides.later, query)
            if end is None:
                return self._abstain(question, say.dont_know())
            facts, spans = [start, end], [start.date, end.date]
        elif query.dates:
            facts, spans = [start], [start.date, query.dates[0]]
        else:
            return self._abstain(question, say.dont_know())
        if spans[0].overlaps(spans[1]) or len({f.id for f in facts}) < len(facts):
            return self._abstain(question, say.dont_know())  # no time between them to count
        count, unit = intervals.between(spans[0], spans[1])
        text = say.interval(count, unit, facts, spans)
        return self._answered(question, text, facts, 1.0, "duration")

    def _shifted(self, query: Query) -> tuple[Query, set[int] | None, list[DateSpan]] | None:
        """A question about the day(s) before or after a dated fact, as a dated question,
        with the facts on its dates; None when it is none, or the anchor found has no
        facts at that distance (not the one meant: the question is read as typed)."""
        shift = intervals.relative(query.words)
        if shift is None:
            return None
        anchor = self._dated(self._owned(shift.anchor, query), query)
        if anchor is None and shift.from_start:  # "after the visit started": the visit
            anchor = self._dated(self._owned(shift.bare, query), query)
        if anchor is None:
            return None
        later = shift.days > 0 or shift.months > 0
        base = anchor.date.end if later and not shift.from_start else anchor.date.start
        try:
            span = _shifted_span(base, shift)
        except (ValueError, OverflowError):
            return None  # "99999 years before": no calendar date
        kept = set(shift.anchor.split())
        terms = [t for t in query.terms if t not in set(self.index.analyzer.terms(list(kept)))]
        groups = [
            g for g in query.entity_groups if not g & self.index.linker.entity_ids(shift.anchor)
        ]
        dated = replace(
            query, dates=[span], other_readings=[None], terms=terms, entity_groups=groups
        )
        in_dates, read = self._date_filter(dated)
        return (dated, in_dates, read) if in_dates else None

    def _owned(self, anchor: str, query: Query) -> str:
        """The anchor of a relative date read in the question's context: "his visit" in
        "what did Giang sign the day after his visit began" is Giang's visit (the people
        the rest of the question names stand for the pronoun), and "the dialogue" in
        "which Israeli president visited the year before the dialogue" is Israel's (an
        anchor naming nobody is about whom the rest of the question names)."""
        words = anchor.split()
        rest = query.words[: max(0, len(query.words) - len(words))]
        found = [m for m in self.index.linker.mentions(rest) if m.kind == "entity"]
        if _POSSESSIVES & set(words):
            found = [m for m in found if self.kb.entities[m.value].type == "person"]
        elif self.index.linker.entity_ids(anchor):
            return anchor
        names = list(dict.fromkeys(" ".join(m.phrase) for m in found))
        return " ".join([*names, anchor]) if names else anchor

    def _tenure(self, query: Query) -> tuple[Entity, Role] | None:
        """ "How long has X been minister?": the one person asked about and the role the
        fact base dates (with `from`), if there is exactly one such."""
        mentions = self.index.linker.mentions(query.words)
        named = {m.value for m in mentions if m.kind == "entity"}
        people = [e for e in named if self.kb.entities[e].type == "person"]
        in_office = any(m.kind == "role" for m in mentions) or bool(_OFFICE & set(query.words))
        if len(people) != 1 or not in_office:
            return None
        entity = self.kb.entities[people[0]]
        dated = [r for r in entity.roles if r.since is not None]
        named_roles = {m.value for m in mentions if m.kind == "role"}
        if len({r.role for r in dated}) > 1:  # "how long was Leahy a senator?": that post
            dated = [r for r in dated if r.role in named_roles]
        return (entity, dated[0]) if len(dated) == 1 else None

    def _held(
        self, question: str, held: tuple[Entity, Role], today: dt.date, say: compose.Wording
    ) -> Answer:
        entity, role = held
        assert role.since is not None  # _tenure only returns dated roles
        end = role.until or dt_span(today)
        count, unit = intervals.between(role.since, end)
        text = say.tenure(entity, role, count, unit)
        extra = (Citation.of(self.kb.sources[role.source]),)
        return Answer(question, True, text, 1.0, (), "duration", extra)

    def _order(
        self,
        question: str,
        query: Query,
        picked: intervals.Choice,
        in_dates: set[int] | None,
        say: compose.Wording,
    ) -> Answer | None:
        """ "Which came first, X or Y?": both looked up (with who did what, when the rest
        of the question names someone) and put in order; None when either is not found."""
        frame = picked.frame if self.index.linker.entity_ids(picked.frame) else ""
        found = []
        for option in picked.options:
            fact = self._dated(f"{frame} {option}", query, in_dates) if frame else None
            found.append(fact or self._dated(option, query, in_dates))
        first, second = found
        if first is None or second is None or first.id == second.id:
            return None
        if first.date.overlaps(second.date):
            return None  # neither came first
        first, second = sorted((first, second), key=lambda f: f.date.start, reverse=picked.latest)
        text = say.order(first, second, picked.latest)
        return self._answered(question, text, [first, second], 1.0, "order")

    def _dated(self, text: str, asked: Query, in_dates: set[int] | None = None) -> Fact | None:
        """The fact that one side of a "time between" question names, if clearly found."""
        query = parse(text, self.index)
        query = replace(query, intent="what", lang=asked.lang)
        found = self.candidate(query, in_dates)
        if found is None or found.probability < self.model.answer_at or query.unseen_topics:
            return None
        return found.chosen[0].item.fact

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
        # with a date, a rare country named ("Japan ... in 2023") must be in every fact too
        for group in named if in_dates is None else self._required(query)[0]:
            pool = bounded.involving(self.index, pool, group)
        if not pool:
            dated = bool(in_dates)  # facts on the date, none about what was named
            return self._abstain(
                question, say.dont_know() if dated else say.nothing_on(resolved or query.dates)
            )
        text, used = bounded.timeline(say, resolved, self.index, pool)
        return self._answered(question, text, used, 1.0, "timeline")

    def _card(self, question: str, query: Query, say: compose.Wording) -> Answer:
        entity = self.kb.entities[query.card or ""]
        text, used = say.card(entity, bounded.card_facts(self.index, entity.id, CARD_FACTS))
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


def _shifted_span(base: dt.date, shift: intervals.Shift) -> DateSpan:
    """The date `shift` puts at from `base` (raises ValueError or OverflowError past the
    calendar's ends)."""
    if shift.months and shift.months % 12 == 0:  # "the year before", "8 years after"
        return year_span(base.year + shift.months // 12)
    if shift.months:  # "15 months after": that month, give or take one
        month = base.year * 12 + base.month - 1 + shift.months
        first = month_span((month - 1) // 12, (month - 1) % 12 + 1)
        last = month_span((month + 1) // 12, (month + 1) % 12 + 1)
        return DateSpan(first.start, last.end, "range")
    day = base + dt.timedelta(days=shift.days)
    if abs(shift.days) < 7:  # "two days after": that day; "a week after": the week
        return dt_span(day)
    return DateSpan(min(base, day), max(base, day), "range")


_POSSESSIVES = frozenset({"his", "her", "their"})


def _reported_not_dated(fact: Fact) -> bool:
    """True when a fact's date is only the year it was reported (a `date_note` explains
    a year-precision date) and its text does not give that year as when the thing
    happened ("In 2023 Vietnam, Laos and Cambodia held...")."""
    year = str(fact.date.start.year)
    stated = year in fact.headline or year in fact.summary
    return fact.date.precision == "year" and bool(fact.date_note) and not stated


def _misses(query: Query, scored: Scored, known: Container[str] | None = None) -> int:
    """How many of the question's topic words a fact lacks (the intent's own words,
    such as "money" for "how much", do not count; with `known`, only those words:
    looked up one by one, never listed, as the index has hundreds of thousands)."""
    own = intents.get(query.intent).own_terms
    missing = set(query.terms) - set(scored.item.terms) - own
    return len(missing if known is None else {t for t in missing if t in known})


def _speaker(fact: Fact) -> str:
    """Who said it: the quote's author, else the first actor (the subject, by convention)."""
    return fact.quote.by if fact.quote else fact.actors[0]


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
