"""Entity linking and the term index over facts.

Questions and facts share one analysis: folded tokens, multi-word synonyms folded onto
one canonical term, stop words dropped, Snowball stems. Names are linked as whole
phrases (longest first) to entity ids, role words to roles, and countries the base
does not cover are reported, never fuzzily replaced by one it does. Typos are
corrected only against the base's own vocabulary, within one or two edits.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer
from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot import lexicon as lexicon_mod
from bot.dates import DateSpan
from bot.knowledge import Fact, KnowledgeBase
from bot.lexicon import Lexicon, Phrase
from bot.text import tokens

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


def _longest_matches(
    words: Sequence[str], table: dict[Phrase, object], longest: int
) -> Iterable[tuple[int, int, Phrase]]:
    """Greedy left-to-right, longest-first phrase matches of `table` in `words`."""
    i = 0
    while i < len(words):
        for n in range(min(longest, len(words) - i), 0, -1):
            phrase = tuple(words[i : i + n])
            if phrase in table:
                yield i, i + n, phrase
                i += n
                break
        else:
            i += 1


class Analyzer:
    """Turns token lists into index terms (canonical synonyms, then stems)."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex
        self._longest = max(len(p) for p in lex.synonyms)

    def terms(self, words: Sequence[str], drop: frozenset[str] = frozenset()) -> list[str]:
        out: list[str] = []
        stop = self.lex.stop_en | drop
        spans = {i: (j, p) for i, j, p in _longest_matches(words, self.lex.synonyms, self._longest)}
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
    """Finds entity names, role words and uncovered countries in token lists."""

    def __init__(self, kb: KnowledgeBase, lex: Lexicon) -> None:
        self.table: dict[Phrase, tuple[str, str]] = {}
        for foreign in lex.foreign:
            self.table[foreign] = ("foreign", " ".join(foreign))
        for phrase, role in lex.role_phrases.items():
            self.table[phrase] = ("role", role)
        for entity in kb.entities.values():
            for name in [entity.name, entity.name_vi or "", *entity.aliases]:
                phrase = tuple(tokens(name))
                if phrase:
                    self.table[phrase] = ("entity", entity.id)
        self.longest = max(len(p) for p in self.table)

    def mentions(self, words: Sequence[str]) -> list[Mention]:
        return [
            Mention(*self.table[p], i, j, p)
            for i, j, p in _longest_matches(words, self.table, self.longest)
        ]

    def entity_ids(self, text: str) -> set[str]:
        return {m.value for m in self.mentions(tokens(text)) if m.kind == "entity"}


@dataclass
class IndexedFact:
    fact: Fact
    span: DateSpan
    terms: frozenset[str]
    actors: frozenset[str]  # actors, place and event
    mentioned: frozenset[str]  # entities named in the text only
    people: frozenset[str]  # actors who are people
    length: int


@dataclass
class Index:
    kb: KnowledgeBase
    lex: Lexicon
    analyzer: Analyzer
    linker: Linker
    facts: list[IndexedFact]
    postings: dict[str, list[int]]
    entity_postings: dict[str, list[int]]
    vocabulary: frozenset[str]
    country_ids: frozenset[str] = frozenset()
    vietnamese_words: frozenset[str] = frozenset()  # words of the Vietnamese lexicon
    word_counts: dict[str, int] = field(default_factory=dict)
    by_length: dict[int, list[str]] = field(default_factory=dict)
    by_start: list[tuple[int, int]] = field(default_factory=list)  # (start ordinal, fact no)
    longest_days: int = 1
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
        lo_day = span.start.toordinal() - self.longest_days
        lo = bisect_right(self.by_start, (lo_day, -1))
        out = []
        for _, n in self.by_start[lo:hi]:
            fs = self.facts[n].span
            if fs.overlaps(span) and (fs.days <= span.days or fs.precision == "range"):
                out.append(n)
        return sorted(out)

    def years_with(self, span: DateSpan) -> list[int]:
        """Years in which facts fall on the month (and day) of a year-less span."""
        years = sorted(
            {f.span.start.year for f in self.facts} | {f.span.end.year for f in self.facts}
        )
        return [y for y in years if self.overlapping(span.in_year(y))]

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
        return max(closest, key=lambda w: (self.word_counts.get(w, 0), w))


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
    postings: dict[str, list[int]] = defaultdict(list)
    entity_postings: dict[str, list[int]] = defaultdict(list)
    for n, fact in enumerate(kb.facts):
        words = tokens(fact_text(fact))
        word_counts.update(words)
        terms = frozenset(analyzer.terms(words)) | KIND_TERMS[fact.kind]
        actors = frozenset(a for a in (*fact.actors, fact.place, fact.event) if a)
        mentioned = (
            frozenset(m.value for m in linker.mentions(words) if m.kind == "entity") - actors
        )
        people = frozenset(a for a in fact.actors if kb.entities[a].type == "person")
        facts.append(IndexedFact(fact, fact.date, terms, actors, mentioned, people, len(words)))
        for term in terms:
            postings[term].append(n)
        for entity in actors | mentioned:
            entity_postings[entity].append(n)
    vocabulary |= word_counts.keys()
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
        country_ids=frozenset(e.id for e in kb.entities.values() if e.type == "country"),
        vietnamese_words=frozenset(w for p in lex.vietnamese for w in p) | lex.stop_vi,
        word_counts=dict(word_counts),
        by_length=dict(by_length),
        by_start=sorted((f.span.start.toordinal(), n) for n, f in enumerate(facts)),
        longest_days=max((f.span.days for f in facts), default=1),
        avg_length=sum(f.length for f in facts) / max(len(facts), 1),
    )
