"""Reading a question: language, dates, names, roles, intent and content terms.

The result is a `Query` the engine can rank facts with. Nothing here guesses: a
country or name the fact base does not know is kept as `unknown`, and a role that
names no known person ("the Cambodian defence minister") as `unresolved`, so the
engine can say so instead of answering about someone else.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from rapidfuzz.distance import OSA

from bot import dates, intents, normalise, roles
from bot.dates import DateSpan
from bot.index import QUESTION_WORDS, Index, Mention, stem
from bot.knowledge import KnowledgeBase
from bot.lexicon import language
from bot.text import fold, looks_vietnamese, tokens

_EXCEPT = re.compile(
    # "ngoài" sets aside; "ngoại giao" (diplomacy) and "ngoại trưởng" do not
    r"\b(?:other than|besides|apart from|aside from|except|excluding|not counting|outside(?: of)?"
    r"|ngoai(?! (?:giao|truong)))\b"
)
_CARD = re.compile(
    r"^(?:(?:who|what) (?:is|was|are|were) (?:the )?(?P<a>.+?)|(?:who|what) s (?P<b>.+?)"
    r"|(?P<c>.+?) (?:la ai|la gi|lam gi)"
    r"|(?:tell me about|what about|describe|ai la|profile|bio|background on|info on) (?P<d>.+?)"
    r"|(?P<e>.+?) (?:profile|bio|background))$"
)
_CARD_WORDS = frozenset(
    {
        "role",
        "position",
        "job",
        "title",
        "post",
        "background",
        "profile",
        "bio",
        "rank",
        "chuc",
        "vu",
    }
)
_CARD_STEMS = frozenset(stem(w) for w in _CARD_WORDS)
_CONNECTORS = frozenset({"of", "the", "cua", "nuoc", "for", "s"})


@dataclass
class Query:
    text: str
    lang: str
    dates: list[DateSpan]
    entity_groups: list[frozenset[str]]  # every group must be matched (any id in it)
    countries: list[str]
    terms: list[str]
    oov: list[str]  # content words the fact base has never used
    unseen_topics: list[str]  # of those, specific English words ("submarines", "drills")
    unknown: list[str]  # names of countries, places or people the base does not cover
    unresolved: list[str]  # roles that name nobody the base knows ("Thai defence minister")
    intent: str
    card: str | None = None
    mentioned: set[str] = field(default_factory=set)
    excluded: set[str] = field(default_factory=set)  # "other than X"
    places: set[str] = field(default_factory=set)  # "in Hanoi": where it must have happened
    claimed_places: set[str] = field(default_factory=set)  # "was it signed in Hanoi?"
    words: list[str] = field(default_factory=list)  # the question's words as read
    # terms only in a clause that sets the scene ("…when the PM met him"), not the ask
    scene_terms: frozenset[str] = frozenset()
    excluded_terms: frozenset[str] = frozenset()  # "besides denuclearisation": a topic set aside
    # the other reading of each ambiguous numeric date ("9/11"), None for the others
    other_readings: list[DateSpan | None] = field(default_factory=list)


def _has_cue(words: list[str], lang: str) -> bool:
    """True when the words hold one of `lang`'s cue phrases ("la ai", "khi nao")."""
    chat = language.load(lang)
    return any(
        tuple(words[i : i + n]) in chat.cues
        for n in range(1, chat.longest + 1)
        for i in range(len(words))
    )


def _mostly_vietnamese(words: list[str], index: Index) -> bool:
    """Vietnamese typed without diacritics and without a cue phrase ("ai chu tri doi
    thoai phia thai lan"): most words are Vietnamese ones the lexicon knows, and at least
    two of them are no everyday English word."""
    known = [w for w in words if w in index.vietnamese_words]
    foreign = [w for w in known if w not in index.everyday_en]
    return len(foreign) >= 2 and len(known) >= 0.6 * len(words)


def _strip_dates(folded: str, found: list[dates.FoundDate]) -> str:
    chars = list(folded)
    for f in found:
        chars[f.begin : f.end] = " " * (f.end - f.begin)
    return "".join(chars)


def _outside_names(
    found: list[dates.FoundDate], folded: str, index: Index
) -> list[dates.FoundDate]:
    """Drop bare years that belong to a name ("VIDE 2024", "Expo 2024"), and years or
    year ranges right after an agreement's or event's name ("Joint Vision Statement
    2015-2020")."""
    if not any(f.span.precision == "year" for f in found):
        return found
    mentions = index.linker.mentions(tokens(folded))
    named_years = {w for m in mentions if m.kind == "entity" for w in m.phrase if w.isdigit()}
    name_ends = {
        m.end
        for m in mentions
        if m.kind == "entity" and index.kb.entities[m.value].type in ("agreement", "event")
    }
    kept = []
    for f in found:
        if f.span.precision == "year":
            before = tokens(folded[: f.begin])
            at = len(before)
            while at and before[at - 1].isdigit():  # the "2015" of "2015-2020"
                at -= 1
            after_name = not name_ends.isdisjoint(range(at, len(before) + 1))
            year = folded[f.begin : f.end][-4:]
            after = tokens(folded[f.end :])[:1]  # "the 2030 vision"
            beside = _ends_a_name(before[:at], year, index) or _ends_a_name(after, year, index)
            if year in named_years or after_name or beside:
                continue
        kept.append(f)
    return kept


_NAME_LINKS = frozenset({"for", "towards", "toward", "to", "until", "through", "den", "nam"})


def _ends_a_name(before: list[str], year: str, index: Index) -> bool:
    """True when the words next to `year` ("vision statement for", "tam nhin den nam",
    or the word after it) end in a word of an agreement's or event's name that also
    holds the year ("... towards 2030"), even when they are too few to name it alone."""
    at = len(before)
    while at and before[at - 1] in _NAME_LINKS:
        at -= 1
    if not at:
        return False
    return f"{before[at - 1]} {year}" in index.year_names


def _capitalised_unknowns(raw: str, index: Index, skip: set[str]) -> list[str]:
    """Capitalised words, not first in the question, that the base has never seen."""
    out = []
    for i, m in enumerate(re.finditer(r"[^\W\d_][\w'’.-]*", raw)):
        word = m.group(0).strip(".'’-")
        if i == 0 or not word[:1].isupper() or (word.isupper() and len(word) <= 3):
            continue
        for t in tokens(word):
            if t in skip or t in index.vocabulary or index.analyzer.singular(t) != t:
                continue
            if index.correct(t) == t and len(t) > 2:
                out.append(word)
    return out


def parse(question: str, index: Index, today: dt.date | None = None) -> Query:
    """Read `question` against the fact base behind `index`."""
    question = normalise.tidy(question)
    folded = fold(question)
    found = _outside_names(dates.find(question, today), folded, index)
    typed = tokens(_strip_dates(folded, found))
    vietnamese = looks_vietnamese(question) or _has_cue(typed, "vi")
    lang = "vi" if vietnamese or _mostly_vietnamese(typed, index) else "en"
    words_all = normalise.words(typed, lang)
    spaced = " ".join(words_all)
    found_intent, cue = intents.detect(spaced, lang)
    intent = found_intent.name
    asks_other = bool(words_all) and words_all[0] in QUESTION_WORDS
    topic_first = not asks_other and _TOPIC_THEN_YES_NO.search(folded)
    if intent == "what" and lang == "en" and topic_first:
        intent = "yes_no"  # "Shoigu's 2018 trip - did the president see him too?"

    corrected = [w if w in cue else _correct(w, index, lang) for w in words_all if w != "the"]
    words, capitals = _metonyms(corrected, index, lang)
    mentions = index.linker.mentions(words, question)
    excluded = _excluded(mentions, words)
    mentions = [m for m in mentions if m.value not in excluded]
    lone = [m for n, m in enumerate(mentions) if _lone_head(mentions, n, index)]
    mentions = [m for m in mentions if m not in lone]
    unknown = [m.value for m in mentions if m.kind == "foreign"]
    entity_groups, countries, unresolved, mentioned, holder, posts = _resolve(
        mentions, words, index, capitals, found
    )

    used = {i for m in mentions for i in range(m.begin, m.end)}
    used |= _misspelt_first_names(mentions, words, index.kb)
    rest = [
        w
        for i, w in enumerate(words)
        if i not in used and w not in _EXCEPT_WORDS and i not in _cue_positions(words, cue)
    ]
    if lang == "en":  # "legally binding", "finally signed": a manner, not a topic
        rest = [w for w in rest if not _adverb(w, index)]
    if lang == "en":  # "with the us": Slack lowercase of an exact country alias ("US")
        for word, country in _lowercase_countries(words_all, rest, index):
            rest = [w for w in rest if w != word]
            countries += [] if country in countries else [country]
    if lang == "vi":
        rest = [
            w
            for w in translate(rest, index)
            if w in index.word_counts or w not in index.vietnamese_words
        ]
    drop = index.lex.stop_vi if lang == "vi" else frozenset()
    # a small bare number counts something ("which 2 areas", "8 yrs after"): no topic
    counts = {w for w in rest if w.isdigit() and int(w) < 100}
    terms = list(dict.fromkeys(index.analyzer.terms([w for w in rest if w not in counts], drop)))
    scene = _scene_terms(words, terms, index, drop) if lang == "en" else frozenset()
    aside = _set_aside_terms(words, mentions, index, drop) if not excluded else frozenset()
    terms = [t for t in terms if t not in aside]
    oov = [
        w
        for w in rest
        if w not in index.vocabulary
        and stem(w) not in index.postings
        and index.analyzer.singular(w) == w  # "LOIs": a plural of a known abbreviation
        and w not in drop
        and len(w) > 2
    ]
    # a "head" with no organisation beside it is a word no fact uses
    oov += [w for m in lone for w in m.phrase if w not in index.word_counts]
    if lang == "en":
        skip = {t for f in found for t in tokens(folded[f.begin : f.end])}
        skip |= set(typed) - set(words)
        unknown += [w for w in _capitalised_unknowns(question, index, skip) if w not in unknown]

    card = _card(spaced, entity_groups, terms, intent, index.kb)
    spans = [f.span for f in found]
    if card is not None and card == holder and not _serves_in(countries, index, holder, spans):
        card = None  # "the US ambassador to Laos" is not the US ambassador to Vietnam
    where = {
        m.value
        for m in mentions
        if m.kind == "entity"
        and m.begin > 0
        and words[m.begin - 1] in _LOCATIVE
        and index.kb.entities[m.value].type == "place"
    }
    others = [g for g in entity_groups if not g <= where]  # "the US envoy in Hanoi"
    if (
        card is None
        and holder is not None
        and len(others) == 1
        and _asks_for_holder(spaced, intent, terms)
    ):
        fits = _fits_role(terms, index, holder) and _serves_in(countries, index, holder, spans)
        card = holder if fits else None
    if card is None:  # "who did Vietnam's defence minister meet in Canada?": any holder
        for at, everyone in posts:
            entity_groups[at] = entity_groups[at] | everyone
            mentioned |= everyone
    claimed: set[str] = set()
    if intent == "yes_no" and where:  # "was it signed in Hanoi?": the fact says where
        claimed, where = where, set()
        entity_groups = [g for g in entity_groups if not g <= claimed]
    return Query(
        text=question,
        lang=lang,
        dates=[f.span for f in found],
        other_readings=[f.other_reading for f in found],
        entity_groups=entity_groups,
        countries=countries,
        terms=terms,
        oov=oov,
        unseen_topics=[w for w in oov if lang == "en" and w in index.specific_en],
        scene_terms=scene,
        excluded_terms=aside,
        unknown=unknown,
        unresolved=unresolved,
        intent=intent,
        card=card,
        mentioned=mentioned,
        excluded=excluded,
        places=where,
        claimed_places=claimed,
        words=words,
    )


_EXCEPT_WORDS = frozenset({"other", "than", "besides", "apart", "aside", "except", "excluding"})


_SCENE = frozenset({"when", "while", "during"})
# a yes/no question after a topic and a dash, colon or comma ("the expo: did Paparo go?")
_TOPIC_THEN_YES_NO = re.compile(
    r"\w\s*(?:[-–—:;,]|\s-)\s*(?:did|does|do|is|was|were|are|has|have|had|will|can|could)\s"
)


def _scene_terms(
    words: list[str], terms: list[str], index: Index, drop: frozenset[str]
) -> frozenset[str]:
    """Terms only in a clause that sets the scene after the ask: "what did Laos pledge
    | when the PM met its minister", "what was signed | during the virtual talks"."""
    at = next((i for i, w in enumerate(words) if w in _SCENE and i > 1), None)
    if at is None:
        return frozenset()
    asked = set(index.analyzer.terms(words[:at], drop))
    return frozenset(t for t in index.analyzer.terms(words[at + 1 :], drop) if t in terms) - asked


def _adverb(word: str, index: Index) -> bool:
    """An English adverb of manner the base never uses: "legally" (of "legal"), "finally";
    not "family" or "assembly", whose "-ly" makes no adverb of a word."""
    if len(word) <= 5 or not word.endswith("ly") or word in index.vocabulary:
        return False
    base = word[:-2]
    return base in index.ordinary or (base.endswith("i") and base[:-1] + "y" in index.ordinary)


def _correct(word: str, index: Index, lang: str) -> str:
    """A typo corrected against the base's words. A common English word is no typo
    ("contracts" is not "contractors"), nor is it corrected into a Vietnamese one."""
    if lang == "en" and word not in index.vocabulary and len(word) > 3 and word in index.ordinary:
        return word  # an ordinary word (bot.commonwords), not a typo
    fixed = index.correct(word)
    if lang == "en" and fixed in index.vietnamese_words and fixed not in index.word_counts:
        return word
    return fixed


def _set_aside_at(words: list[str]) -> list[int]:
    """Where what each "other than", "besides", "ngoài" sets aside begins (word positions)."""
    spaced = " ".join(words)
    return [len(spaced[: cue.end()].split()) for cue in _EXCEPT.finditer(spaced)]


def _excluded(mentions: list[Mention], words: list[str]) -> set[str]:
    """Entities the question sets aside: "other than Lockheed", "ngoài Boeing"."""
    out: set[str] = set()
    for at in _set_aside_at(words):
        nxt = next((m for m in mentions if m.begin >= at and m.kind == "entity"), None)
        if nxt is not None and nxt.begin - at <= 1:
            out.add(nxt.value)
    return out


def _set_aside_terms(
    words: list[str], mentions: list[Mention], index: Index, drop: frozenset[str]
) -> frozenset[str]:
    """The terms of a topic the question sets aside ("besides denuclearisation, what
    did Shin ask for?"): the words after the cue up to the next name or question word."""
    cues = _set_aside_at(words)
    if not cues:
        return frozenset()
    at = cues[0]
    named = {i for m in mentions for i in range(m.begin, m.end)}
    taken: list[str] = []
    for i in range(at, min(at + 3, len(words))):
        if i in named or words[i] in QUESTION_WORDS:
            break
        taken.append(words[i])
    return frozenset(index.analyzer.terms(taken, drop))


# Words after which a place the base knows is the place, not its country.
_LOCATIVE = frozenset({"in", "at", "inside", "near", "o", "tai"})


def _metonyms(words: list[str], index: Index, lang: str) -> tuple[list[str], dict[str, str]]:
    """Capitals and buildings read as their countries ("Vientiane" -> Laos).

    After "in" or "at" a capital the base knows is the place ("met in Hanoi"); one it does
    not know ("o Lau Nam Goc") is read as its country. Elsewhere a place the
    base knows stays itself with its country returned beside it, so that "Hanoi's
    defence chief" finds the Vietnamese minister."""
    table = {**language.load("en").metonyms, **language.load(lang).metonyms}
    longest = max(language.load("en").longest, language.load(lang).longest)
    out: list[str] = []
    capitals: dict[str, str] = {}
    i = 0
    while i < len(words):
        for n in range(min(longest, len(words) - i), 0, -1):
            phrase = tuple(words[i : i + n])
            capital_of = index.linker.guards.capitals.get(" ".join(phrase))
            if phrase not in table and capital_of is None:
                continue
            known = index.linker.find(phrase)
            country = ("entity", capital_of) if capital_of else index.linker.find(table[phrase])
            as_place = i > 0 and words[i - 1] in _LOCATIVE
            if as_place and known:
                out += phrase
            elif known and known[0] == "entity":
                if country and country[0] == "entity":
                    capitals[known[1]] = country[1]
                out += phrase
            else:
                out += table[phrase]
            i += n
            break
        else:
            out.append(words[i])
            i += 1
    return out, capitals


def _asks_for_holder(spaced: str, intent: str, terms: list[str]) -> bool:
    """True for "who is the US ambassador", "lao dm name?", "French envoy?": a role alone."""
    if intent == "who" and _CARD.match(spaced):
        return True
    return intent in ("who", "what") and all(t in _HOLDER_WORDS or t in _CARD_STEMS for t in terms)


_HOLDER_WORDS = frozenset(
    {"name", "call", "current", "now", "who", "ten", "hien", "nay", "full", "want", "rank"}
)


def _fits_role(terms: list[str], index: Index, holder: str) -> bool:
    """True when the question's other words describe `holder` ("US Pacific commander")."""
    entity = index.kb.entities[holder]
    names = [entity.description, *(r.title for r in entity.roles)]
    names += [index.kb.entities[r.org].name for r in entity.roles if r.org]
    known = set(index.analyzer.terms(tokens(" ".join(names))))
    return all(t in known or t in _CARD_STEMS or t in _HOLDER_WORDS for t in terms)


def _cue_positions(words: list[str], cue: set[str]) -> set[int]:
    """Where the cue phrase is: the longest runs of cue words, so the "năm" of "bao nhiêu
    năm" goes but the "Nam" of "Việt Nam" stays."""
    runs: list[range] = []
    start = None
    for n, word in enumerate([*words, ""]):
        if word in cue and start is None:
            start = n
        elif word not in cue and start is not None:
            runs.append(range(start, n))
            start = None
    longest = max((len(r) for r in runs), default=0)
    return {n for r in runs if len(r) == longest for n in r}


def _lowercase_countries(
    words: list[str], unlinked: list[str], index: Index
) -> list[tuple[str, str]]:
    """(word, country) for a short word after "the" that, in capitals, is a country's
    exact alias ("the us" is "the US"); only `unlinked` words (not part of a name)."""
    found = []
    for n, word in enumerate(words):
        if n == 0 or word not in unlinked or words[n - 1] != "the" or len(word) > 3:
            continue
        for entity in sorted(index.linker.entity_ids(word.upper())):
            if index.kb.entities[entity].type == "country":
                found.append((word, entity))
    return found


def _serves_in(countries: list[str], index: Index, holder: str, spans: list[DateSpan]) -> bool:
    """True when every country the question names is one `holder`'s roles are of or in,
    and the base dates one of those roles to the question's dates ("the minister in 2018")."""
    entity = index.kb.entities[holder]
    for span in spans:
        held = [(r.since or r.as_of, r.until if r.since else r.as_of) for r in entity.roles]
        if not any(
            start is not None and start.start <= span.end and (end is None or span.start <= end.end)
            for start, end in held
        ):
            return False
    names = [entity.description, *(r.title for r in entity.roles)]
    names += [index.kb.entities[r.org].name for r in entity.roles if r.org]
    known = set(index.analyzer.terms(tokens(" ".join(names))))
    own = {r.country for r in entity.roles if r.country}
    return all(c in own or set(index.analyzer.terms(c.split("-"))) <= known for c in countries)


def translate(words: list[str], index: Index) -> list[str]:
    """Replace Vietnamese phrases with the English words they mean."""
    table = index.lex.vietnamese
    out: list[str] = []
    i = 0
    for begin, end, phrase in index.vietnamese.matches(words):
        out += words[i:begin]
        out += table[phrase]
        i = end
    return out + words[i:]


def _resolve(
    mentions: list[Mention],
    words: list[str],
    index: Index,
    capitals: dict[str, str],
    found: list[dates.FoundDate],
) -> tuple[
    list[frozenset[str]],
    list[str],
    list[str],
    set[str],
    str | None,
    list[tuple[int, frozenset[str]]],
]:
    """Entities to require, countries to prefer, roles that resolve to nobody, the one
    person a role names ("the Lao defence minister"), if it names exactly one, and for
    each undated post, the group it fills and everyone who ever held it."""
    kb = index.kb
    groups: list[frozenset[str]] = []
    posts: list[tuple[int, frozenset[str]]] = []  # (group, everyone who held that post)
    countries: list[str] = []
    unresolved: list[str] = []
    consumed: set[int] = set()
    holder: str | None = None
    when = [f.span for f in found if f.span.year_known]
    for n, m in enumerate(mentions):
        if m.kind != "role":
            continue
        org = _organisation_of(mentions, n, index) if m.value == HEAD else None
        country, at = _role_country(mentions, n, words, index.country_ids, capitals)
        if org is not None:
            country, at = None, next(i for i, o in enumerate(mentions) if o.value == org)
        if _titles_a_name(mentions, m, mentions[at] if at is not None else None, kb):
            continue  # "Deputy Prime Minister Marles": the name says who, whatever the role
        if at is not None:
            consumed.add(at)
        accepted = {m.value, *index.lex.roles[m.value].also}
        holders = frozenset(
            roles.holders(
                kb,
                accepted,
                country,
                when[0] if when else None,
                org=org,
                among=index.role_holders,
            )
        )
        if holders:
            if len(holders) == 1:
                holder = next(iter(holders))
            if not when:  # unless asked who holds it: any holder, the facts tell which
                everyone = roles.every_holder(kb, accepted, country, org, index.role_holders)
                posts.append((len(groups), frozenset(everyone)))
            groups.append(holders)
        else:
            ends = [m.begin, m.end]
            if at is not None:
                ends += [mentions[at].begin, mentions[at].end]
            first, last = min(ends), max(ends)
            unresolved.append(" ".join(words[first:last]))
    mentioned: set[str] = set()
    for n, m in enumerate(mentions):
        if m.kind != "entity" or n in consumed:
            continue
        mentioned.add(m.value)
        if kb.entities[m.value].type == "country":
            countries.append(m.value)
        elif m.value in capitals:
            groups.append(frozenset({m.value, capitals[m.value]}))
        else:
            groups.append(frozenset({m.value}))
    for g in groups:
        mentioned |= g
    return groups, countries, unresolved, mentioned, holder, posts


def _misspelt_first_names(mentions: list[Mention], words: list[str], kb: KnowledgeBase) -> set[int]:
    """Positions of a first name typed one letter off just before a person's surname
    ("mark knaper" for Marc Knapper): part of the name, not a topic of the question."""
    out = set()
    for m in mentions:
        if m.kind != "entity" or m.begin == 0:
            continue
        person = kb.entities[m.value]
        if person.type != "person":
            continue
        before = words[m.begin - 1]
        names = [tokens(name) for name in (person.name, person.name_vi) if name]
        firsts = {n[0] for n in names if len(n) > 1 and len(n[0]) > 2}
        if any(OSA.distance(before, first) <= 1 for first in firsts):
            out.add(m.begin - 1)
    return out


def _titles_a_name(
    mentions: list[Mention], role: Mention, country: Mention | None, kb: KnowledgeBase
) -> bool:
    """True when a person's name follows the role word (and its country) at once, as a
    title does: "President Macron", "Phó Thủ tướng Úc Marles"."""
    end = max(role.end, country.end if country is not None else role.end)
    after = [m for m in mentions if m.kind == "entity" and end <= m.begin <= end + 1]
    return any(kb.entities[m.value].type == "person" for m in after)


HEAD = "head"  # the role word that means "whoever leads this organisation"
_ORGANISATIONS = ("organisation", "company")


def _organisation_of(mentions: list[Mention], n: int, index: Index) -> str | None:
    """The organisation right beside a "head" role word ("head of INDOPACOM", "USABC chief")."""
    role = mentions[n]
    for at in (n + 1, n - 1):
        if not 0 <= at < len(mentions):
            continue
        other = mentions[at]
        gap = other.begin - role.end if at > n else role.begin - other.end
        if (
            gap <= 1
            and other.kind == "entity"
            and index.kb.entities[other.value].type in _ORGANISATIONS
        ):
            return other.value
    return None


def _lone_head(mentions: list[Mention], n: int, index: Index) -> bool:
    """A "head"/"leads" word with no organisation beside it is an ordinary word."""
    m = mentions[n]
    return m.kind == "role" and m.value == HEAD and _organisation_of(mentions, n, index) is None


def _role_country(
    mentions: list[Mention],
    n: int,
    words: list[str],
    country_ids: frozenset[str],
    capitals: dict[str, str],
) -> tuple[str | None, int | None]:
    """The country a role word belongs to: just before it, or just after it ("of Laos").

    A country the base does not cover comes back as "foreign:<name>", which no role
    holder matches."""
    role = mentions[n]
    for at, gap in ((n - 1, 1), (n + 1, 2)):
        if not 0 <= at < len(mentions):
            continue
        other = mentions[at]
        between = words[other.end : role.begin] if at < n else words[role.end : other.begin]
        if len(between) > gap or any(w not in _CONNECTORS for w in between):
            continue
        if other.kind == "foreign":
            return f"foreign:{other.value}", at
        if other.kind == "entity" and other.value in country_ids:
            return other.value, at
        if other.kind == "entity" and other.value in capitals:
            return capitals[other.value], at
    return None, None


def _card(
    spaced: str,
    groups: list[frozenset[str]],
    terms: list[str],
    intent: str,
    kb: KnowledgeBase,
) -> str | None:
    """The entity a "who is X" / "what is X" / "X là ai" question asks about, if that is
    all it asks; "X's position at USABC" asks for the person's card too."""
    if intent not in ("who", "what", "list") or not groups or any(len(g) != 1 for g in groups):
        return None
    if any(t not in _CARD_WORDS and t not in _CARD_STEMS for t in terms):
        return None
    named = [next(iter(g)) for g in groups]
    if len(named) == 2 and terms:  # a person and where they hold the post
        people = [e for e in named if kb.entities[e].type == "person"]
        return people[0] if len(people) == 1 else None
    if len(named) != 1:
        return None
    if terms or _CARD.match(spaced):  # "X's position?", "chức vụ của X": a card too
        return named[0]
    return None
