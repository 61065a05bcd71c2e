"""Entity linking and the term index over facts.

Questions and facts share one analysis: folded tokens, multi-word synonyms folded onto
one canonical term, stop words dropped, Snowball stems. Names are linked as whole
phrases (longest first) to entity ids, role words to roles, and countries the base
does not cover are reported, never fuzzily replaced by one it does. Typos are
corrected only against the base's own vocabulary, within one or two edits.

The index is columnar: postings and per-fact terms and entities are flat integer
arrays with row offsets (see `Ragged`), which `bot.indexfile` writes to disk and maps
back into memory without rebuilding objects. `Index.facts[n]` builds the
`IndexedFact` (and decodes its `Fact`) on first use only.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Generic, TypeVar, overload

import snowballstemmer
from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot import lexicon as lexicon_mod
from bot.commonwords import (
    common_language,
    everyday_english,
    ordinary_words,
    specific_english,
    vietnamese_word,
    zipf,
)
from bot.dates import DateSpan
from bot.knowledge import FACT_KINDS, Entity, Fact, KnowledgeBase
from bot.lexicon import Lexicon, Phrase
from bot.names import plain
from bot.records import BoundedMemo
from bot.strings import Strings, StringTable
from bot.text import fold, tokens

T = TypeVar("T")
S = TypeVar("S")
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
# Above this many candidate words, a typo is corrected only against words that share
# its first or second letter (a base of 100,000 facts has ~150,000 words of a length).
LARGE_POOL = 20_000
QUESTION_WORDS = ("who", "when", "where", "what", "which", "how", "whom", "whose", "why")


# Stems of one word family the stemmer keeps apart ("stable" / "stability", "navy" /
# "naval", "strategy" / "strategic"), joined under one.
_FAMILIES = {
    "stabil": "stabl",
    "stabilis": "stabl",
    "destabil": "destabl",
    "destabilis": "destabl",
    "strategi": "strateg",
    "econom": "economi",
    "histor": "histori",
    "naval": "navi",
    "modernis": "modern",
    "militarili": "militari",
    "friendship": "friend",
    "denuclearis": "denuclear",
    "denuclear": "denuclear",
}


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The index term of one word: its Snowball stem, word families joined."""
    if " " in word or word.isdigit():
        return word
    stemmed = _STEMMER.stemWord(word)
    return _FAMILIES.get(stemmed, stemmed)


class PhraseTable(Generic[T]):
    """Phrases (token tuples) to values, matched longest-first, left to right.

    Phrases are kept as space-joined strings and grouped by first word, so a word that
    starts no phrase costs one dictionary lookup (this is what keeps indexing 100,000
    facts fast); `lengths` maps a first word to the lengths of the phrases it starts."""

    def __init__(
        self,
        joined: Mapping[str, T],
        lengths: Mapping[str, list[int]],
        longest: int = 0,
        pairs: AbstractSet[str] | None = None,
    ) -> None:
        self.joined = joined
        self.lengths = lengths
        self.longest = longest
        # the first two words of every longer phrase: where the next word continues no
        # phrase, only a one-word one can match (indexing 100,000 facts tries far fewer)
        self.pairs = pairs

    @classmethod
    def of(cls, table: Mapping[Phrase, T]) -> PhraseTable[T]:
        """The table for `table`'s phrases."""
        lengths: dict[str, set[int]] = defaultdict(set)
        for phrase in table:
            if phrase:
                lengths[phrase[0]].add(len(phrase))
        joined = {" ".join(p): v for p, v in table.items() if p}
        longest = max((len(p) for p in table), default=0)
        pairs = {f"{p[0]} {p[1]}" for p in table if len(p) > 1}
        by_first = {w: sorted(ns, reverse=True) for w, ns in lengths.items()}
        return cls(joined, by_first, longest, pairs)

    def matches(self, words: Sequence[str]) -> Iterator[tuple[int, int, Phrase]]:
        """(begin, end, phrase) of each phrase found in `words`, longest first."""
        i, count, pairs = 0, len(words), self.pairs
        while i < count:
            lengths: Sequence[int] = self.lengths.get(words[i], ())
            if pairs is not None and lengths and lengths[0] > 1:
                pair = f"{words[i]} {words[i + 1]}" if i + 1 < count else ""
                lengths = lengths if pair in pairs else (1,) if lengths[-1] == 1 else ()
            for n in lengths:
                if i + n <= count and " ".join(words[i : i + n]) in self.joined:
                    yield i, i + n, tuple(words[i : i + n])
                    i += n
                    break
            else:
                i += 1


class Analyzer:
    """Turns token lists into index terms (canonical synonyms, then stems)."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex
        self.synonyms = PhraseTable.of(lex.synonyms)
        # a plural the synonyms list only in the singular ("LOIs", "MoUs") -> that word
        self._singulars = {
            f"{p[0]}s": p[0]
            for p in lex.synonyms
            if len(p) == 1 and len(p[0]) >= 3 and f"{p[0]}s" not in self.synonyms.lengths
        }

    def terms(self, words: Sequence[str], drop: frozenset[str] = frozenset()) -> list[str]:
        out: list[str] = []
        stop = self.lex.stop_en | drop if drop else self.lex.stop_en
        singulars = self._singulars
        words = [singulars.get(w, w) for w in words]
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

    def singular(self, word: str) -> str:
        """A plural the synonyms list only in the singular ("LOIs", "MoUs") as that word."""
        return self._singulars.get(word, word)


@dataclass(frozen=True)
class Mention:
    kind: str  # "entity" | "role" | "foreign"
    value: str  # entity id, role id, or the foreign name as typed
    begin: int
    end: int
    phrase: Phrase  # the alias or role words matched


@dataclass(frozen=True)
class Guards:
    """What decides whether a name the phrase table finds counts (see `Linker`), by
    space-joined phrase; stored with the index, so a loaded linker rebuilds nothing."""

    spellings: Mapping[str, Sequence[str]]  # guarded name -> its names as written
    beside: AbstractSet[str]  # guarded names that may match unspelt beside a name or role
    shared: Mapping[str, Sequence[str]]  # a name two entities share -> the other entities
    name_words: AbstractSet[str]  # words of names and countries
    capitals: Mapping[str, str]  # a capital the base has as a place -> its country's entity


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

    def __init__(self, phrases: PhraseTable[tuple[str, str]], guards: Guards) -> None:
        self.phrases = phrases
        self.guards = guards
        self.name_words = guards.name_words  # an everyday word is never corrected into one
        self._patterns: dict[tuple[str, bool], re.Pattern[str] | None] = {}

    @classmethod
    def of(cls, kb: KnowledgeBase, lex: Lexicon) -> Linker:
        """The linker for `kb`'s entity names and aliases and `lex`'s roles and countries."""
        table: dict[Phrase, tuple[str, str]] = {}
        for foreign in lex.foreign:
            table[foreign] = ("foreign", " ".join(foreign))
        for phrase, role in lex.role_phrases.items():
            table[phrase] = ("role", role)
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
                table[phrase] = ("entity", covered[code])
        for phrase, code in lex.capitals.items():
            if code in covered:  # "Minsk" is Belarus, or the place Minsk if the base has it
                table[phrase] = ("entity", covered[code])
        for phrase, ids in owners.items():
            table[phrase] = ("entity", ids[0])
        capitals = {
            " ".join(p): covered[code]
            for p, code in lex.capitals.items()
            if code in covered and p in owners and kb.entities[owners[p][0]].type == "place"
        }
        guards = Guards(
            spellings={" ".join(p): sorted(spellings[p]) for p in guarded},
            # Guarded names that may also match unspelt beside another name or a role.
            beside=frozenset(" ".join(p) for p in guarded if not any(map(vietnamese_word, p))),
            shared={" ".join(p): ids[1:] for p, ids in owners.items() if len(ids) > 1},
            name_words=frozenset(w for p in [*owners, *lex.foreign] for w in p),
            capitals=capitals,
        )
        return cls(PhraseTable.of(table), guards)

    def find(self, phrase: Phrase) -> tuple[str, str] | None:
        """(kind, value) of a whole phrase in the table, or None."""
        return self.phrases.joined.get(" ".join(phrase))

    def mentions(self, words: Sequence[str], text: str | None = None) -> list[Mention]:
        """Names, roles and foreign countries in `words`; given the `text` they came
        from, a guarded name counts only where `_allowed`."""
        table, guarded, shared = self.phrases.joined, self.guards.spellings, self.guards.shared
        found = [(i, j, p, " ".join(p)) for i, j, p in self.phrases.matches(words)]
        kinds = {key: table[key] for _, _, _, key in found}
        names = {k for i, j, _, key in found if key not in guarded for k in (i, j)}
        roles = {k for i, j, _, key in found if kinds[key][0] == "role" for k in (i, j)}
        out = []
        for i, j, p, key in found:
            if (
                key in guarded
                and text is not None
                and not self._allowed(key, text, (i, j), names, roles)
            ):
                continue
            out.append(Mention(*kinds[key], i, j, p))
            if key in shared:
                out += [Mention("entity", other, i, j, p) for other in shared[key]]
        return out

    def _allowed(
        self, key: str, text: str, span: tuple[int, int], names: set[int], roles: set[int]
    ) -> bool:
        """Whether a guarded name found at `span` counts: `text` spells it as one of its
        names is written; or it stands beside a role word ("bo truong quoc phong my");
        or beside another name, unless it is an everyday Vietnamese word typed without
        its diacritics ("ghi nho viet nam" is not the NHO, "đại sứ pháp" is France)."""
        spelt = unicodedata.normalize("NFC", text)
        exact = self._pattern(key, accented=False)
        if (exact and exact.search(spelt)) or not roles.isdisjoint(span):
            return True
        if names.isdisjoint(span):
            return False
        accented = self._pattern(key, accented=True)
        return key in self.guards.beside or bool(accented and accented.search(spelt))

    def _pattern(self, key: str, accented: bool) -> re.Pattern[str] | None:
        """A guarded name's spellings as a pattern, compiled on first use; `accented`:
        only those with diacritics ("Pháp"), which also count in lower case beside
        another name (None when it has none)."""
        if (key, accented) not in self._patterns:
            names = set(self.guards.spellings[key])
            if accented:
                names = {n for n in names if not n.isascii()}
            pattern = _spelling(names, re.IGNORECASE if accented else 0) if names else None
            self._patterns[key, accented] = pattern
        return self._patterns[key, accented]

    def cover(self, named: set[Phrase], lex: Lexicon) -> None:
        """Stop reporting as uncovered the countries and capitals that facts name: a
        country named ("Russia") counts by all its names; a demonym ("English", also a
        language) only by itself."""
        codes = {lex.country_codes[p] for p in named - lex.demonyms if p in lex.country_codes}
        covered = named | {p for p, code in lex.country_codes.items() if code in codes}
        table = self.phrases.joined
        dropped = {k for k in map(" ".join, covered) if table.get(k, ("",))[0] == "foreign"}
        if dropped:
            kept = {tuple(k.split(" ")): v for k, v in table.items() if k not in dropped}
            self.phrases = PhraseTable.of(kept)

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


Ints = Sequence[int]  # an array.array or a memoryview over a mapped file
Lookup = Strings | StringTable  # strings by id, found by text


class Ragged:
    """Rows of unsigned integers: one flat array and each row's start (plus the end)."""

    def __init__(self, offsets: Ints, values: Ints) -> None:
        self.offsets = offsets
        self.values = values

    @classmethod
    def of(cls, rows: Iterable[Iterable[int]]) -> Ragged:
        offsets, values = array("Q", [0]), array("I")
        for row in rows:
            values.extend(row)
            offsets.append(len(values))
        return cls(offsets, values)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def row(self, n: int) -> Ints:
        return self.values[self.offsets[n] : self.offsets[n + 1]]

    def size(self, n: int) -> int:
        return self.offsets[n + 1] - self.offsets[n]

    def copy(self, n: int) -> array[int]:
        """Row `n` as an array of Python ints (a copy of the mapped memory)."""
        row = self.row(n)
        if isinstance(row, array):
            return row
        out = array("I")
        out.frombytes(memoryview(row).cast("B"))  # type: ignore[arg-type]
        return out


class Postings(Mapping[str, "array[int]"]):
    """Key (term or entity id) -> ascending fact numbers, read from a `Ragged`."""

    def __init__(self, keys: Lookup, rows: Ragged) -> None:
        self.keys_by_id = keys
        self.rows = rows

    def __getitem__(self, key: str) -> array[int]:
        n = self.keys_by_id.find(key)
        if n is None:
            raise KeyError(key)
        return self.rows.copy(n)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.keys_by_id.find(key) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys_by_id)

    def __len__(self) -> int:
        return len(self.keys_by_id)

    def df(self, key: str) -> int:
        """How many facts the key is in (0 when none), without copying them."""
        n = self.keys_by_id.find(key)
        return 0 if n is None else self.rows.size(n)


class WordCounts(Mapping[str, int]):
    """How often each word occurs in the facts (words of the lexicon only: absent)."""

    def __init__(self, words: Lookup, counts: Ints) -> None:
        self.words = words
        self.counts = counts

    def __getitem__(self, word: str) -> int:
        n = self.words.find(word)
        if n is None or not self.counts[n]:
            raise KeyError(word)
        return self.counts[n]

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        n = self.words.find(word)
        return n is not None and self.counts[n] > 0

    def __iter__(self) -> Iterator[str]:
        return (w for n, w in enumerate(self.words) if self.counts[n])

    def __len__(self) -> int:
        return sum(1 for c in self.counts if c)


class Vocabulary(AbstractSet[str]):
    """Every word the index knows: the facts' words, the lexicon's and the names'."""

    def __init__(self, words: Lookup) -> None:
        self.words = words

    @classmethod
    def _from_iterable(cls, it: Iterable[S]) -> frozenset[S]:
        """Set operations (`vocabulary | other`) give a plain frozenset."""
        return frozenset(it)

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.words.find(word) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self.words)

    def __len__(self) -> int:
        return len(self.words)


class ByLength(Mapping[int, list[str]]):
    """Alphabetic vocabulary words by length (for typo correction), decoded per length
    on first use."""

    def __init__(self, words: Lookup, order: Ints, ranges: dict[int, tuple[int, int]]) -> None:
        self.words = words
        self.order = order
        self.ranges = ranges
        self.decoded: dict[int, list[str]] = {}

    def __getitem__(self, length: int) -> list[str]:
        if length not in self.decoded:
            begin, end = self.ranges[length]
            self.decoded[length] = [self.words[n] for n in self.order[begin:end]]
        return self.decoded[length]

    def __iter__(self) -> Iterator[int]:
        return iter(self.ranges)

    def __len__(self) -> int:
        return len(self.ranges)


# a name word mostly used by facts about its event or agreement names it
OCCASION_SHARE = 0.5
# A word of an occasion's name this common in English ("line" of a line of credit,
# "million", "international") is used for much else: it does not name the occasion.
OCCASION_COMMON_EN = 4.9
PRECISIONS = ("day", "month", "year", "range")
_RANGE, _YEAR = PRECISIONS.index("range"), PRECISIONS.index("year")


@dataclass
class Tables:
    """Everything the index holds besides the fact base and the lexicon: what
    `bot.indexfile` writes and maps back. Integer columns are indexed by fact number."""

    term_names: Lookup  # term id -> term
    fact_ids: Lookup  # fact number -> fact id
    entity_names: Lookup  # entity number -> entity id (the fact base's order)
    term_postings: Ragged  # term id -> fact numbers
    entity_postings: Ragged  # entity number -> facts it takes part in or is named in
    actor_postings: Ragged  # entity number -> facts it takes part in
    fact_terms: Ragged  # fact -> term ids
    fact_actors: Ragged  # fact -> entity numbers (actors, place, event)
    fact_mentioned: Ragged
    fact_people: Ragged
    lengths: Ints
    starts: Ints  # first day (ordinal)
    ends: Ints  # last day (ordinal)
    precisions: Ints  # index in PRECISIONS
    kinds: Ints  # index in FACT_KINDS
    id_ranks: Ints  # position of the fact's id in sorted order
    start_order: Ints  # facts not of year precision, by first day
    start_days: Ints  # their first days, ascending
    longest_days: int
    by_year: dict[int, list[int]]  # year-precision facts
    day_years: dict[tuple[int, int], frozenset[int]]
    month_years: dict[int, frozenset[int]]
    first_day: dt.date
    last_day: dt.date
    topics: tuple[str, ...]
    avg_length: float
    words: Lookup  # the vocabulary, by word id
    ordinary: Lookup  # English and Vietnamese everyday words, folded (bot.commonwords)
    everyday_en: Lookup  # the commonest English words (`common_language(w) == "en"`)
    occasion_words: Lookup  # rare terms of event and agreement names (`occasion_words`)
    person_words: Lookup  # terms of people's names, not everyday words ("chinh")
    year_names: Lookup  # "word year" for each word of an agreement's or event's name with a year
    specific_en: Lookup  # real but specific English words (bot.commonwords.specific_english)
    counts: Ints  # word id -> occurrences in the facts (0: lexicon and names only)
    length_order: Ints  # ids of alphabetic words, by length
    length_ranges: dict[int, tuple[int, int]]  # length -> slice of length_order
    linker: PhraseTable[tuple[str, str]]
    guards: Guards  # the linker's guarded and shared names
    country_ids: Sequence[str]
    role_holders: Sequence[str]  # entities that have roles


class FactTable(Sequence[IndexedFact]):
    """`index.facts`: the `IndexedFact` for fact number n, built on first use and kept
    (the most recent tens of thousands)."""

    def __init__(self, facts: Sequence[Fact], tables: Tables) -> None:
        self.source = facts
        self.tables = tables
        self.size = len(facts)
        self.built: BoundedMemo[IndexedFact] = BoundedMemo()

    def __len__(self) -> int:
        return self.size

    @overload
    def __getitem__(self, n: int) -> IndexedFact: ...
    @overload
    def __getitem__(self, n: slice) -> list[IndexedFact]: ...
    def __getitem__(self, n: int | slice) -> IndexedFact | list[IndexedFact]:
        if isinstance(n, slice):
            return [self[i] for i in range(*n.indices(len(self)))]
        if n < 0:
            n += self.size
        if not 0 <= n < self.size:
            raise IndexError(n)
        item = self.built.get(n)
        if item is None:
            item = self.built.put(n, self._build(n))
        return item

    def __iter__(self) -> Iterator[IndexedFact]:
        return (self[n] for n in range(len(self)))

    def _build(self, n: int) -> IndexedFact:
        t = self.tables
        names, terms = t.entity_names, t.term_names
        return IndexedFact(
            fact=self.source[n],
            terms=tuple(terms[i] for i in t.fact_terms.row(n)),
            actors=tuple(names[i] for i in t.fact_actors.row(n)),
            mentioned=tuple(names[i] for i in t.fact_mentioned.row(n)),
            people=tuple(names[i] for i in t.fact_people.row(n)),
            length=t.lengths[n],
        )


class Index:
    """The fact base, its lexicon and the term and entity index over its facts."""

    def __init__(self, kb: KnowledgeBase, lex: Lexicon, tables: Tables) -> None:
        self.kb = kb
        self.lex = lex
        self.tables = tables
        self.analyzer = Analyzer(lex)
        self.linker = Linker(tables.linker, tables.guards)
        self.facts = FactTable(kb.facts, tables)
        self.postings = Postings(tables.term_names, tables.term_postings)
        self.entity_postings = Postings(tables.entity_names, tables.entity_postings)
        self.actor_postings = Postings(tables.entity_names, tables.actor_postings)
        self.vietnamese = PhraseTable.of(lex.vietnamese)
        self.country_ids = frozenset(tables.country_ids)
        self.vietnamese_words = frozenset(w for p in lex.vietnamese for w in p) | lex.stop_vi
        self.word_counts = WordCounts(tables.words, tables.counts)
        self.vocabulary = Vocabulary(tables.words)
        self.ordinary = Vocabulary(tables.ordinary)  # everyday words, never taken for typos
        self.everyday_en = Vocabulary(tables.everyday_en)
        self.occasion_words = Vocabulary(tables.occasion_words)
        self.person_words = Vocabulary(tables.person_words)
        self.year_names = Vocabulary(tables.year_names)
        self.specific_en = Vocabulary(tables.specific_en)
        self.by_length = ByLength(tables.words, tables.length_order, tables.length_ranges)
        self.day_years = tables.day_years
        self.month_years = tables.month_years
        self.first_day = tables.first_day
        self.last_day = tables.last_day
        self.topics = tables.topics
        self.avg_length = tables.avg_length
        self.corrections: dict[str, str] = {}  # typo -> correction, remembered
        self.initials: dict[tuple[int, str], list[str]] = {}  # see _by_initial
        self.homes: dict[str, frozenset[str]] = {}  # entity -> its countries, see home()

    @property
    def role_holders(self) -> list[Entity]:
        """The entities that hold roles (for resolving "the Lao defence minister")."""
        return [self.kb.entities[e] for e in self.tables.role_holders]

    def numbers(self, fact_ids: Iterable[str]) -> set[int]:
        """The fact numbers of the facts with these ids (ids not in the index left out)."""
        found = (self.tables.fact_ids.find(i) for i in fact_ids)
        return {n for n in found if n is not None}

    def idf(self, term: str) -> float:
        return math.log((len(self.facts) + 1) / (self.postings.df(term) + 0.5))

    def entity_idf(self, entity_id: str) -> float:
        return math.log((len(self.facts) + 1) / (self.entity_postings.df(entity_id) + 0.5))

    @property
    def max_idf(self) -> float:
        return math.log((len(self.facts) + 1) / 0.5)

    def overlapping(self, span: DateSpan) -> list[int]:
        """Facts whose dates overlap `span` and are at least as precise as it; a
        multi-day event counts for each of its days. In order of first day, not sorted:
        at a hundred thousand facts, sorting is most of the cost."""
        t = self.tables
        first, last = span.start.toordinal(), span.end.toordinal()
        days = last - first + 1
        lo = bisect_left(t.start_days, first - t.longest_days)
        inside = bisect_left(t.start_days, first)
        hi = bisect_right(t.start_days, last)
        starts, ends, precisions = t.starts, t.ends, t.precisions

        def fits(n: int) -> bool:
            return ends[n] - starts[n] < days or precisions[n] == _RANGE

        out = [n for n in t.start_order[lo:inside] if ends[n] >= first and fits(n)]
        if days > t.longest_days:  # every fact starting inside the span fits in it
            out += t.start_order[inside:hi]
        else:
            out += [n for n in t.start_order[inside:hi] if fits(n)]
        if span.precision == "year" or span.days >= 365:
            for year in range(span.start.year, span.end.year + 1):
                out += t.by_year.get(year, [])
        return out

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

    def home(self, entity_id: str) -> frozenset[str]:
        """The countries an entity belongs to (`home_countries`), worked out once."""
        if entity_id not in self.homes:
            entity = self.kb.entities[entity_id]
            self.homes[entity_id] = home_countries(entity, self.kb, self.linker)
        return self.homes[entity_id]

    def correct(self, word: str) -> str:
        """`word`, or the one vocabulary word within one edit (two for long words)."""
        if word in self.vocabulary or len(word) < 3 or not word.isalpha():
            return word
        if len(word) == 3:
            near = process.extractOne(word, QUESTION_WORDS, scorer=OSA.distance, score_cutoff=1)
            return near[0] if near else word
        known = self.corrections.get(word)
        if known is None:
            known = self.corrections[word] = self._nearest(word)
            if len(self.corrections) > 50_000:
                self.corrections.clear()
        return known

    def _nearest(self, word: str) -> str:
        limit = 1 if len(word) < 8 else 2
        lengths = range(len(word) - limit, len(word) + limit + 1)
        ranges = self.tables.length_ranges
        pool: list[str] = []
        if sum(ranges[n][1] - ranges[n][0] for n in lengths if n in ranges) <= LARGE_POOL:
            for n in lengths:
                pool += self.by_length.get(n, ())
        else:  # a large base: only the words sharing the first or second letter
            for n in lengths:
                for initial in {word[0], word[1]}:
                    pool += self._by_initial(n, initial)
        best = process.extract(word, pool, scorer=OSA.distance, score_cutoff=limit, limit=8)
        if not best:
            return word
        closest = [w for w, d, _ in best if d == best[0][1]]
        choice = max(closest, key=lambda w: (self.word_counts.get(w, 0), w))
        if choice in self.linker.name_words and fold(word) in self.ordinary:
            return word  # an everyday word ("thank") is not a misspelt name ("Thanh")
        return choice

    def _by_initial(self, length: int, initial: str) -> list[str]:
        """The words of `length` that start with `initial`: within a length the words
        are in alphabetical order, so they are one slice, found by binary search."""
        key = (length, initial)
        if key not in self.initials:
            begin, end = self.tables.length_ranges.get(length, (0, 0))
            order, words = self.tables.length_order, self.tables.words

            def first_letter(position: int) -> str:
                return words[order[position]][0]

            lo = bisect_left(range(begin, end), initial, key=first_letter) + begin
            hi = bisect_right(range(begin, end), initial, key=first_letter) + begin
            self.initials[key] = [words[order[p]] for p in range(lo, hi)]
        return self.initials[key]


def home_countries(entity: Entity, kb: KnowledgeBase, linker: Linker) -> frozenset[str]:
    """The countries `entity` belongs to, read from its names and roles: the
    "Vietnam-Thailand defence dialogue" is Vietnam's and Thailand's, the "Thai Defence
    Ministry" Thailand's, a defence minister his country's (a place is no country's for
    its name: the South China Sea). A fact with it as an actor, or naming it in full,
    counts as naming those countries."""
    if entity.type == "country":
        return frozenset()
    found = {r.country for r in entity.roles if r.country}
    for _, name, _ in entity.names() if entity.type != "place" else ():
        words = tokens(name)
        for size in range(1, len(words) + 1):
            for start in range(len(words) - size + 1):
                hit = linker.find(tuple(words[start : start + size]))
                if hit and hit[0] == "entity" and kb.entities[hit[1]].type == "country":
                    found.add(hit[1])
    return frozenset(found)


def occasion_words(kb: KnowledgeBase, index: Index) -> list[str]:
    """Rare terms of event and agreement names ("expo", "hydrography"): a question
    using one asks about that occasion, which a fact without the word is not."""
    named = {  # words of other names (a country, a city) are linked as names, not topics
        t
        for e in kb.entities.values()
        if e.type not in ("event", "agreement")
        for _, name, _ in e.names()
        for t in index.analyzer.terms(tokens(name))
    }
    words: set[str] = set()
    for e in kb.entities.values():
        if e.type not in ("event", "agreement"):
            continue
        linked = set(index.entity_postings.get(e.id, ()))
        for field, name, _ in e.names():
            if field == "name_vi" or plain(name) != name:
                continue  # Vietnamese words reach the index only through translation
            spelt = tokens(name)
            common = {stem(w) for w in spelt if zipf(w)[0] >= OCCASION_COMMON_EN}
            for t in index.analyzer.terms(spelt):
                using = index.postings.get(t, ())
                if t in named or t in common or t.isdigit():
                    continue
                if using and len(linked.intersection(using)) >= OCCASION_SHARE * len(using):
                    words.add(t)
    return sorted(words)


def year_names(kb: KnowledgeBase) -> list[str]:
    """ "word year" for every word of an agreement's or event's name that holds a year
    ("vision 2030", "towards 2030"): a year beside such a word is part of the name."""
    pairs: set[str] = set()
    for e in kb.entities.values():
        if e.type not in ("agreement", "event"):
            continue
        for _, name, _ in e.names():
            words = tokens(name)
            years = [w for w in words if len(w) == 4 and w.isdigit()]
            pairs.update(f"{w} {y}" for y in years for w in words)
    return sorted(pairs)


def person_words(kb: KnowledgeBase, index: Index) -> list[str]:
    """Terms of people's names that are no everyday English word: "chinh" typed in
    lower case is still a person's name (not "mark" of Mark Knapper)."""
    return sorted(
        {
            t
            for e in kb.entities.values()
            if e.type == "person"
            for t in index.analyzer.terms(tokens(e.name))
            if t not in index.everyday_en
        }
    )


def fact_text(fact: Fact) -> str:
    parts = [fact.headline, fact.summary, *fact.items, fact.items_of or "", *fact.tags]
    if fact.quote:
        parts.append(fact.quote.text)
    parts += [f"{a.of}" for a in fact.amounts]
    return " \n ".join(parts)


class _Numbers(dict[str, int]):
    """Ids handed out in order of first use."""

    def __missing__(self, key: str) -> int:
        self[key] = len(self)
        return self[key]


def build(kb: KnowledgeBase) -> Index:
    """Analyse every fact of `kb` and build the index over them."""
    lex = lexicon_mod.load()
    analyzer = Analyzer(lex)
    linker = Linker.of(kb, lex)
    word_counts: Counter[str] = Counter()
    term_ids = _Numbers()
    entity_ids = _Numbers({e: n for n, e in enumerate(kb.entities)})
    rows: dict[str, list[list[int]]] = {k: [] for k in ("terms", "actors", "mentioned", "people")}
    lengths = array("I")
    named_abroad: set[Phrase] = set()  # countries and capitals the facts name
    homes = {e.id: home_countries(e, kb, linker) for e in kb.entities.values()}
    for fact in kb.facts:
        text = fact_text(fact)
        words = tokens(text)
        word_counts.update(words)
        terms = dict.fromkeys([*analyzer.terms(words), *KIND_TERMS[fact.kind]])
        actors = tuple(dict.fromkeys(a for a in (*fact.actors, fact.place, fact.event) if a))
        found = linker.mentions(words, text)
        linked = {m.value for m in found if m.kind == "entity"}
        named = {m.value for m in found if m.kind == "entity" and len(m.phrase) > 1}
        linked.update(c for e in (*actors, *named) for c in homes.get(e, ()))
        named_abroad.update(m.phrase for m in found if m.kind == "foreign")
        rows["terms"].append([term_ids[t] for t in terms])
        rows["actors"].append([entity_ids[a] for a in actors])
        rows["mentioned"].append([entity_ids[e] for e in linked.difference(actors)])
        rows["people"].append(
            [entity_ids[a] for a in fact.actors if kb.entities[a].type == "person"]
        )
        lengths.append(len(words))
    fact_actors = Ragged.of(rows["actors"])
    fact_mentioned = Ragged.of(rows["mentioned"])
    extra: set[str] = set(lex.stop_en) | lex.stop_vi
    for phrase in [*lex.synonyms, *lex.role_phrases, *lex.vietnamese]:
        extra.update(phrase)
    for joined in linker.phrases.joined:  # every name and country, covered or not
        extra.update(joined.split(" "))
    linker.cover(named_abroad, lex)
    words = sorted(extra | word_counts.keys())
    length_order = sorted(
        (n for n, w in enumerate(words) if w.isalpha()), key=lambda n: len(words[n])
    )
    length_ranges: dict[int, tuple[int, int]] = {}
    for position, n in enumerate(length_order):
        begin, _ = length_ranges.get(len(words[n]), (position, position))
        length_ranges[len(words[n])] = (begin, position + 1)
    topic_counts: Counter[str] = Counter(
        a
        for f in kb.facts
        for a in f.actors
        if kb.entities[a].type in ("person", "event", "agreement")
    )
    tables = Tables(
        term_names=Strings(list(term_ids)),
        fact_ids=Strings([f.id for f in kb.facts]),
        entity_names=Strings(list(entity_ids)),
        term_postings=_invert(rows["terms"], len(term_ids)),
        entity_postings=_invert(
            ([*a, *m] for a, m in zip(rows["actors"], rows["mentioned"], strict=True)),
            len(entity_ids),
        ),
        actor_postings=_invert(rows["actors"], len(entity_ids)),
        fact_terms=Ragged.of(rows["terms"]),
        fact_actors=fact_actors,
        fact_mentioned=fact_mentioned,
        fact_people=Ragged.of(rows["people"]),
        lengths=lengths,
        **_date_columns(kb.facts),
        topics=tuple(e for e, _ in topic_counts.most_common(4)),
        avg_length=sum(lengths) / max(len(lengths), 1),
        words=Strings(words),
        ordinary=Strings(ordinary_words()),
        everyday_en=Strings(everyday_english()),
        counts=array("I", [word_counts.get(w, 0) for w in words]),
        length_order=array("I", length_order),
        length_ranges=length_ranges,
        linker=linker.phrases,
        guards=linker.guards,
        country_ids=[e.id for e in kb.entities.values() if e.type == "country"],
        role_holders=[e.id for e in kb.entities.values() if e.roles],
        occasion_words=Strings([]),
        person_words=Strings([]),
        year_names=Strings(year_names(kb)),
        specific_en=Strings(specific_english()),
    )
    first = Index(kb, lex, tables)  # the word lists below read its postings
    tables = replace(
        tables,
        occasion_words=Strings(occasion_words(kb, first)),
        person_words=Strings(person_words(kb, first)),
    )
    return Index(kb, lex, tables)


def _invert(rows: Iterable[list[int]], keys: int) -> Ragged:
    """Postings: for each key, the (ascending) numbers of the rows that hold it."""
    lists: list[list[int]] = [[] for _ in range(keys)]
    for n, row in enumerate(rows):
        for key in set(row):
            lists[key].append(n)
    return Ragged.of(lists)


def _date_columns(facts: Sequence[Fact]) -> dict[str, Any]:
    """Date look-ups: each fact's first and last day and precision, facts by first day
    (year-precision facts apart, by year), and the years that have facts on each
    month-day and in each month."""
    starts, ends, precisions = array("i"), array("i"), array("B")
    kinds = array("B")
    by_year: dict[int, list[int]] = defaultdict(list)
    by_start: list[tuple[int, int]] = []
    day_years: dict[tuple[int, int], set[int]] = defaultdict(set)
    month_years: dict[int, set[int]] = defaultdict(set)
    for n, fact in enumerate(facts):
        span = fact.date
        starts.append(span.start.toordinal())
        ends.append(span.end.toordinal())
        precisions.append(PRECISIONS.index(span.precision))
        kinds.append(FACT_KINDS.index(fact.kind))
        if span.precision == "year":
            by_year[span.start.year].append(n)
            continue
        by_start.append((starts[n], n))
        month_years[span.start.month].add(span.start.year)
        if span.precision in ("day", "range"):
            day = span.start
            while day <= span.end:
                day_years[(day.month, day.day)].add(day.year)
                month_years[day.month].add(day.year)
                day += dt.timedelta(days=1)
    by_start.sort()
    ids = sorted(range(len(facts)), key=lambda n: facts[n].id)
    id_ranks = array("I", [0] * len(facts))
    for rank, n in enumerate(ids):
        id_ranks[n] = rank
    return {
        "starts": starts,
        "ends": ends,
        "precisions": precisions,
        "kinds": kinds,
        "id_ranks": id_ranks,
        "start_order": array("I", [n for _, n in by_start]),
        "start_days": array("i", [d for d, _ in by_start]),
        "longest_days": max((ends[n] - starts[n] + 1 for _, n in by_start), default=1),
        "by_year": dict(by_year),
        "day_years": {k: frozenset(v) for k, v in day_years.items()},
        "month_years": {k: frozenset(v) for k, v in month_years.items()},
        "first_day": dt.date.fromordinal(min(starts)) if facts else dt.date.min,
        "last_day": dt.date.fromordinal(max(ends)) if facts else dt.date.max,
    }
