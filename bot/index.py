"""Entity linking and the term index over facts.

Questions and facts share one analysis: folded tokens, multi-word synonyms folded onto
one canonical term, stop words dropped, Snowball stems. Names are linked as whole
phrases (longest first) to entity ids, role words to roles, and countries the base
does not cover are reported, never fuzzily replaced by one it does. Typos are
corrected only against the base's own vocabulary, within one or two edits.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from array import array
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Generic, TypeVar

import snowballstemmer
from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot import lexicon as lexicon_mod
from bot.commonwords import common_language, is_word, vietnamese_word
from bot.dates import DateSpan
from bot.knowledge import Fact, KnowledgeBase
from bot.lexicon import Lexicon, Phrase
from bot.text import tokens

T = TypeVar("T")
_STEMMER = snowballstemmer.stemmer("english")
# Terms every fact of a kind carries, so "who spoke with X" finds meetings and calls.
KIND_TERMS = {
    "meeting": frozenset({"meet", "speak"}),
    "visit": frozenset({"visit"}),
    "call": frozenset({"call", "speak"}),
    "agreement": frozenset({"agreement"}),
    "statement": frozenset({"say"}),
    "funding": frozenset({"money"}),
    "event": frozenset({"event"}),
    "announcement": frozenset({"upcoming"}),
}
# Three-letter words are too short to correct against the whole vocabulary; the
# question words are the ones whose typos matter ("wen", "hwo", "wat").
QUESTION_WORDS = ("who", "when", "where", "what", "which", "how", "whom", "whose", "why")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return word if " " in word or word.isdigit() else _STEMMER.stemWord(word)


class PhraseTable(Generic[T]):
    """Phrases (token tuples) to values, matched longest-first, left to right.

    Phrases are grouped by first word, so a word that starts no phrase costs one
    dictionary lookup: this is what keeps indexing 100,000 facts fast."""

    def __init__(self, table: dict[Phrase, T]) -> None:
        self.table = table
        lengths: dict[str, set[int]] = defaultdict(set)
        for phrase in table:
            if phrase:
                lengths[phrase[0]].add(len(phrase))
        self.lengths = {w: sorted(ns, reverse=True) for w, ns in lengths.items()}

    def matches(self, words: Sequence[str]) -> Iterator[tuple[int, int, Phrase]]:
        i, count = 0, len(words)
        while i < count:
            for n in self.lengths.get(words[i], ()):
                phrase = tuple(words[i : i + n])
                if len(phrase) == n and phrase in self.table:
                    yield i, i + n, phrase
                    i += n
                    break
            else:
                i += 1


class Analyzer:
    """Turns token lists into index terms (canonical synonyms, then stems)."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex
        self.synonyms = PhraseTable(lex.synonyms)

    def terms(self, words: Sequence[str], drop: frozenset[str] = frozenset()) -> list[str]:
        out: list[str] = []
        stop = self.lex.stop_en | drop
        spans = {i: (j, p) for i, j, p in self.synonyms.matches(words)}
        i = 0
        while i < len(words):
            if i in spans:
                j, phrase = spans[i]
                canon = self.lex.synonyms[phrase]
                out.append(canon)
                if " " in canon:
                    out += [stem(w) for w in canon.split() if w not in stop]
                i = j
                continue
            word = words[i]
            if word not in stop:
                out.append(stem(word))
            i += 1
        return out


@dataclass(frozen=True)
class Mention:
    kind: str  # "entity" | "role" | "foreign"
    value: str  # entity id, role id, or the foreign name as typed
    begin: int
    end: int
    phrase: Phrase  # the alias or role words matched


class Linker:
    """Finds entity names, role words and uncovered countries in token lists.

    A country the base has an entity for is found by every name and demonym it has
    (pycountry and bot/lexicon/countries.yaml), not only by the entity's aliases. A
    name that is an everyday word once folded ("Chinh", "US", "Mỹ") or is marked
    `exact` is found only when the question spells it as written, or, unless it is an
    everyday Vietnamese word, right beside a role or another name ("the us
    ambassador", but not "tell us"). A name two entities share finds both, so an
    answer must involve both, never one taken for the other.
    """

    def __init__(self, kb: KnowledgeBase, lex: Lexicon) -> None:
        self.table: dict[Phrase, tuple[str, str]] = {}
        for foreign in lex.foreign:
            self.table[foreign] = ("foreign", " ".join(foreign))
        for phrase, role in lex.role_phrases.items():
            self.table[phrase] = ("role", role)
        owners: dict[Phrase, list[str]] = defaultdict(list)
        spellings: dict[Phrase, set[str]] = defaultdict(set)
        guarded: set[Phrase] = set()
        for entity in kb.entities.values():
            for _, name, exact in entity.names():
                phrase = tuple(tokens(name))
                if not phrase:
                    continue
                if entity.id not in owners[phrase]:
                    owners[phrase].append(entity.id)
                spellings[phrase].add(unicodedata.normalize("NFC", name))
                if exact or (len(phrase) == 1 and common_language(phrase[0])):
                    guarded.add(phrase)
        covered = {
            lex.country_codes[p]: ids[0]
            for p, ids in owners.items()
            if p in lex.country_codes and kb.entities[ids[0]].type == "country"
        }
        for phrase, code in lex.country_codes.items():
            if code in covered:
                self.table[phrase] = ("entity", covered[code])
        for phrase, code in lex.capitals.items():
            if code in covered:
                del self.table[phrase]
        for phrase, ids in owners.items():
            self.table[phrase] = ("entity", ids[0])
        self.shared = {p: tuple(ids[1:]) for p, ids in owners.items() if len(ids) > 1}
        self.exact = {p: _spelling(spellings[p]) for p in guarded}
        # Names with diacritics ("Pháp") also count in lower case beside another name.
        self.accented = {
            p: _spelling({n for n in spellings[p] if not n.isascii()}, re.IGNORECASE)
            for p in guarded
            if not all(n.isascii() for n in spellings[p])
        }
        # Words of names and countries, which an everyday word is never corrected into.
        self.name_words = frozenset(w for p in [*owners, *lex.foreign] for w in p)
        # Guarded names that may also match unspelt beside another name or a role.
        self.beside = frozenset(p for p in guarded if not any(map(vietnamese_word, p)))
        self.phrases = PhraseTable(self.table)

    def mentions(self, words: Sequence[str], text: str | None = None) -> list[Mention]:
        """Names, roles and foreign countries in `words`; given the `text` they came
        from, a guarded name counts only where `_allowed`."""
        out = []
        found = list(self.phrases.matches(words))
        names = {k for i, j, p in found if p not in self.exact for k in (i, j)}
        roles = {k for i, j, p in found if self.table[p][0] == "role" for k in (i, j)}
        for i, j, p in found:
            if (
                p in self.exact
                and text is not None
                and not self._allowed(p, text, (i, j), names, roles)
            ):
                continue
            out.append(Mention(*self.table[p], i, j, p))
            if p in self.shared:
                out += [Mention("entity", other, i, j, p) for other in self.shared[p]]
        return out

    def _allowed(
        self, phrase: Phrase, text: str, span: tuple[int, int], names: set[int], roles: set[int]
    ) -> bool:
        """Whether a guarded name found at `span` counts: `text` spells it as one of its
        names is written; or it stands beside a role word ("bo truong quoc phong my");
        or beside another name, unless it is an everyday Vietnamese word typed without
        its diacritics ("ghi nho viet nam" is not the NHO, "đại sứ pháp" is France)."""
        spelt = unicodedata.normalize("NFC", text)
        if self.exact[phrase].search(spelt) or not roles.isdisjoint(span):
            return True
        if names.isdisjoint(span):
            return False
        accented = self.accented.get(phrase)
        return phrase in self.beside or bool(accented and accented.search(spelt))

    def cover(self, named: set[Phrase], lex: Lexicon) -> None:
        """Stop reporting as uncovered the countries and capitals that facts name: a
        country named ("Russia") counts by all its names; a demonym ("English", also a
        language) only by itself."""
        codes = {lex.country_codes[p] for p in named - lex.demonyms if p in lex.country_codes}
        covered = named | {p for p, code in lex.country_codes.items() if code in codes}
        dropped = [p for p in covered if self.table.get(p, ("",))[0] == "foreign"]
        for phrase in dropped:
            del self.table[phrase]
        if dropped:
            self.phrases = PhraseTable(self.table)

    def entity_ids(self, text: str) -> set[str]:
        return {m.value for m in self.mentions(tokens(text), text) if m.kind == "entity"}


def _spelling(names: set[str], flags: int = 0) -> re.Pattern[str]:
    """A pattern finding any of `names` as whole words."""
    return re.compile("|".join(rf"(?<!\w){re.escape(n)}(?!\w)" for n in sorted(names)), flags)


@dataclass(slots=True)
class IndexedFact:
    """A fact and what it is matched on. Tuples, not sets: at 100,000 facts sets cost
    hundreds of megabytes, and `set.intersection(tuple)` runs just as fast in C."""

    fact: Fact
    terms: tuple[str, ...]
    actors: tuple[str, ...]  # actors, place and event
    mentioned: tuple[str, ...]  # entities named in the text only
    people: tuple[str, ...]  # actors who are people
    length: int

    @property
    def span(self) -> DateSpan:
        return self.fact.date

    def involves(self, entities: frozenset[str]) -> bool:
        """True when any of `entities` takes part in or is named by the fact."""
        return not entities.isdisjoint(self.actors) or not entities.isdisjoint(self.mentioned)


@dataclass
class Index:
    kb: KnowledgeBase
    lex: Lexicon
    analyzer: Analyzer
    linker: Linker
    facts: list[IndexedFact]
    postings: dict[str, array[int]]  # term -> fact numbers, ascending
    entity_postings: dict[str, array[int]]
    vocabulary: frozenset[str]
    vietnamese: PhraseTable[Phrase] = field(default_factory=lambda: PhraseTable({}))
    country_ids: frozenset[str] = frozenset()
    vietnamese_words: frozenset[str] = frozenset()  # words of the Vietnamese lexicon
    word_counts: dict[str, int] = field(default_factory=dict)
    by_length: dict[int, list[str]] = field(default_factory=dict)
    by_start: list[tuple[int, int]] = field(default_factory=list)  # (start ordinal, fact no)
    longest_days: int = 1  # of the facts in by_start
    by_year: dict[int, list[int]] = field(default_factory=dict)  # year-precision facts
    day_years: dict[tuple[int, int], frozenset[int]] = field(default_factory=dict)
    month_years: dict[int, frozenset[int]] = field(default_factory=dict)
    first_day: dt.date = dt.date.min
    last_day: dt.date = dt.date.max
    topics: tuple[str, ...] = ()  # the people and events with the most facts
    avg_length: float = 1.0

    def idf(self, term: str) -> float:
        df = len(self.postings.get(term, ()))
        return math.log((len(self.facts) + 1) / (df + 0.5))

    def entity_idf(self, entity_id: str) -> float:
        df = len(self.entity_postings.get(entity_id, ()))
        return math.log((len(self.facts) + 1) / (df + 0.5))

    @property
    def max_idf(self) -> float:
        return math.log((len(self.facts) + 1) / 0.5)

    def overlapping(self, span: DateSpan) -> list[int]:
        """Facts whose dates overlap `span` and are at least as precise as it; a
        multi-day event counts for each of its days."""
        hi = bisect_right(self.by_start, (span.end.toordinal(), len(self.facts)))
        lo = bisect_right(self.by_start, (span.start.toordinal() - self.longest_days, -1))
        out = []
        for _, n in self.by_start[lo:hi]:
            fs = self.facts[n].span
            if fs.overlaps(span) and (fs.days <= span.days or fs.precision == "range"):
                out.append(n)
        if span.precision == "year" or span.days >= 365:
            for year in range(span.start.year, span.end.year + 1):
                out += self.by_year.get(year, [])
        return sorted(out)

    def years_with(self, span: DateSpan) -> list[int]:
        """Years in which facts fall on the month (and day) of a year-less span."""
        if span.precision == "month":
            return sorted(self.month_years.get(span.start.month, ()))
        years: set[int] = set()
        day = span.start
        while day <= span.end:
            years |= self.day_years.get((day.month, day.day), frozenset())
            day += dt.timedelta(days=1)
        return sorted(years)

    def correct(self, word: str) -> str:
        """`word`, or the one vocabulary word within one edit (two for long words)."""
        if word in self.vocabulary or len(word) < 3 or not word.isalpha():
            return word
        if len(word) == 3:
            near = process.extractOne(word, QUESTION_WORDS, scorer=OSA.distance, score_cutoff=1)
            return near[0] if near else word
        limit = 1 if len(word) < 8 else 2
        pool = [
            w
            for n in range(len(word) - limit, len(word) + limit + 1)
            for w in self.by_length.get(n, ())
        ]
        best = process.extract(word, pool, scorer=OSA.distance, score_cutoff=limit, limit=8)
        if not best:
            return word
        closest = [w for w, d, _ in best if d == best[0][1]]
        choice = max(closest, key=lambda w: (self.word_counts.get(w, 0), w))
        if choice in self.linker.name_words and is_word(word):
            return word  # an everyday word ("thank") is not a misspelt name ("Thanh")
        return choice


def fact_text(fact: Fact) -> str:
    parts = [fact.headline, fact.summary, *fact.items, fact.items_of or "", *fact.tags]
    if fact.quote:
        parts.append(fact.quote.text)
    parts += [f"{a.of}" for a in fact.amounts]
    return " \n ".join(parts)


def build(kb: KnowledgeBase) -> Index:
    lex = lexicon_mod.load()
    analyzer = Analyzer(lex)
    linker = Linker(kb, lex)
    vocabulary: set[str] = set(lex.stop_en) | lex.stop_vi
    for phrase in [*lex.synonyms, *lex.role_phrases, *linker.table, *lex.vietnamese]:
        vocabulary.update(phrase)
    word_counts: Counter[str] = Counter()
    facts: list[IndexedFact] = []
    postings: dict[str, array[int]] = defaultdict(lambda: array("I"))
    entity_postings: dict[str, array[int]] = defaultdict(lambda: array("I"))
    named_abroad: set[Phrase] = set()  # countries and capitals the facts name
    for n, fact in enumerate(kb.facts):
        text = fact_text(fact)
        words = tokens(text)
        word_counts.update(words)
        terms = tuple({*analyzer.terms(words), *KIND_TERMS[fact.kind]})
        actors = tuple(dict.fromkeys(a for a in (*fact.actors, fact.place, fact.event) if a))
        found = linker.mentions(words, text)
        linked = {m.value for m in found if m.kind == "entity"}
        named_abroad.update(m.phrase for m in found if m.kind == "foreign")
        mentioned = tuple(linked.difference(actors))
        people = tuple(a for a in fact.actors if kb.entities[a].type == "person")
        facts.append(IndexedFact(fact, terms, actors, mentioned, people, len(words)))
        for term in terms:
            postings[term].append(n)
        for entity in (*actors, *mentioned):
            entity_postings[entity].append(n)
    linker.cover(named_abroad, lex)
    vocabulary |= word_counts.keys()
    dated = _date_tables(facts)
    topic_counts: Counter[str] = Counter(
        a
        for f in kb.facts
        for a in f.actors
        if kb.entities[a].type in ("person", "event", "agreement")
    )
    by_length: dict[int, list[str]] = defaultdict(list)
    for word in vocabulary:
        if word.isalpha():
            by_length[len(word)].append(word)
    return Index(
        kb=kb,
        lex=lex,
        analyzer=analyzer,
        linker=linker,
        facts=facts,
        postings=dict(postings),
        entity_postings=dict(entity_postings),
        vocabulary=frozenset(vocabulary),
        vietnamese=PhraseTable(lex.vietnamese),
        country_ids=frozenset(e.id for e in kb.entities.values() if e.type == "country"),
        vietnamese_words=frozenset(w for p in lex.vietnamese for w in p) | lex.stop_vi,
        word_counts=dict(word_counts),
        by_length=dict(by_length),
        **dated,
        topics=tuple(e for e, _ in topic_counts.most_common(4)),
        avg_length=sum(f.length for f in facts) / max(len(facts), 1),
    )


def _date_tables(facts: list[IndexedFact]) -> dict:
    """Date look-ups: facts by start day (year-precision facts apart, by year), and
    the years that have facts on each month-day and in each month."""
    by_start, by_year = [], defaultdict(list)
    day_years: dict[tuple[int, int], set[int]] = defaultdict(set)
    month_years: dict[int, set[int]] = defaultdict(set)
    for n, f in enumerate(facts):
        span = f.span
        if span.precision == "year":
            by_year[span.start.year].append(n)
            continue
        by_start.append((span.start.toordinal(), n))
        month_years[span.start.month].add(span.start.year)
        if span.precision in ("day", "range"):
            day = span.start
            while day <= span.end:
                day_years[(day.month, day.day)].add(day.year)
                month_years[day.month].add(day.year)
                day += dt.timedelta(days=1)
    spans = [f.span for f in facts]
    return {
        "by_start": sorted(by_start),
        "longest_days": max((facts[n].span.days for _, n in by_start), default=1),
        "by_year": dict(by_year),
        "day_years": {k: frozenset(v) for k, v in day_years.items()},
        "month_years": {k: frozenset(v) for k, v in month_years.items()},
        "first_day": min((s.start for s in spans), default=dt.date.min),
        "last_day": max((s.end for s in spans), default=dt.date.max),
    }
