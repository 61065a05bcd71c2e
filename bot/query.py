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

from bot import dates
from bot.dates import DateSpan
from bot.index import Index, Mention
from bot.text import fold, looks_vietnamese, tokens

_VI_CUES = re.compile(
    r"\b(la ai|la gi|khi nao|bao gio|luc nao|o dau|tai dau|bao nhieu|nhu the nao|the nao"
    r"|hop tac|quoc phong|bo truong|thu tuong|ngay nao|nhung gi|cai gi|dien ra|xay ra)\b"
)
# Intent cues, tried in order, on the folded question with single spaces.
_INTENTS: list[tuple[str, re.Pattern[str]]] = [
    (
        "how_much",
        re.compile(
            r"\b(how much|what amount|what sum|how big|how large|bao nhieu tien|tri gia|kinh phi bao nhieu)\b"
        ),
    ),
    ("how_many", re.compile(r"\b(how many|number of|what number|bao nhieu|so luong)\b")),
    (
        "when",
        re.compile(
            r"\b(when|what date|which date|what day|which day|what year|which year|what month|which month|khi nao|bao gio|luc nao|ngay nao|thang nao|nam nao|hoi nao|thoi diem nao)\b"
        ),
    ),
    (
        "where",
        re.compile(
            r"\b(where|which city|what place|what location|what venue|o dau|tai dau|noi nao|dia diem nao)\b"
        ),
    ),
    (
        "timeline",
        re.compile(
            r"\b(what happened|what happens|what took place|what went on|what was going on|what is going on|timeline|chronology|what events|which events|anything happen|su kien|dien ra|xay ra|co gi)\b"
        ),
    ),
    (
        "who",
        re.compile(
            r"\b(who|whom|whose|which person|which official|which officials|ai|nguoi nao|vi nao)\b"
        ),
    ),
    (
        "list",
        re.compile(
            r"\b(which|list|name the|what are|what were|what areas|what fields|what sectors|in what|enumerate|nhung gi|nhung linh vuc|cac linh vuc|gom nhung|nao)\b"
        ),
    ),
]
_CARD = re.compile(
    r"^(?:(?:who|what) (?:is|was|are|were) (?:the )?(?P<a>.+?)|who s (?P<b>.+?)|(?P<c>.+?) (?:la ai|la gi)"
    r"|(?:tell me about|what about|describe|ai la) (?P<d>.+?))$"
)
_CARD_WORDS = frozenset({"role", "position", "job", "title", "post", "background", "profile"})
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
    unknown: list[str]  # names of countries, places or people the base does not cover
    unresolved: list[str]  # roles that name nobody the base knows ("Thai defence minister")
    intent: str
    card: str | None = None
    mentioned: set[str] = field(default_factory=set)


def _strip_dates(folded: str, found: list[dates.FoundDate]) -> str:
    chars = list(folded)
    for f in found:
        chars[f.begin : f.end] = " " * (f.end - f.begin)
    return "".join(chars)


def _outside_names(
    found: list[dates.FoundDate], folded: str, index: Index
) -> list[dates.FoundDate]:
    """Drop bare years that belong to a name ("VIDE 2024", "Expo 2024")."""
    if not any(f.span.precision == "year" for f in found):
        return found
    named_years = {
        w
        for m in index.linker.mentions(tokens(folded))
        if m.kind == "entity"
        for w in m.phrase
        if w.isdigit()
    }
    return [
        f
        for f in found
        if not (f.span.precision == "year" and folded[f.begin : f.end][-4:] in named_years)
    ]


def _intent(text: str) -> str:
    return next((name for name, pattern in _INTENTS if pattern.search(text)), "what")


def _capitalised_unknowns(raw: str, index: Index, skip: set[str]) -> list[str]:
    """Capitalised words, not first in the question, that the base has never seen."""
    out = []
    for i, m in enumerate(re.finditer(r"[^\W\d_][\w'’.-]*", raw)):
        word = m.group(0).strip(".'’-")
        if i == 0 or not word[:1].isupper() or (word.isupper() and len(word) <= 3):
            continue
        for t in tokens(word):
            if t not in skip and t not in index.vocabulary and index.correct(t) == t and len(t) > 2:
                out.append(word)
    return out


def parse(question: str, index: Index, today: dt.date | None = None) -> Query:
    folded = fold(question)
    found = _outside_names(dates.find(question, today), folded, index)
    words_all = tokens(_strip_dates(folded, found))
    spaced = " ".join(words_all)
    lang = "vi" if looks_vietnamese(question) or _VI_CUES.search(spaced) else "en"
    intent = _intent(spaced)

    words = [index.correct(w) for w in words_all]
    mentions = index.linker.mentions(words)
    unknown = [m.value for m in mentions if m.kind == "foreign"]
    entity_groups, countries, unresolved, mentioned = _resolve(mentions, words, index)

    used = {i for m in mentions for i in range(m.begin, m.end)}
    rest = [w for i, w in enumerate(words) if i not in used]
    if lang == "vi":
        rest = [
            w
            for w in _translate(rest, index)
            if w in index.word_counts or w not in index.vietnamese_words
        ]
    drop = index.lex.stop_vi if lang == "vi" else frozenset()
    terms = list(dict.fromkeys(index.analyzer.terms(rest, drop)))
    oov = [w for w in rest if w not in index.vocabulary and w not in drop and len(w) > 2]
    if lang == "en":
        in_dates = {t for f in found for t in tokens(folded[f.begin : f.end])}
        unknown += [w for w in _capitalised_unknowns(question, index, in_dates) if w not in unknown]

    card = _card(spaced, mentions, entity_groups, terms, intent)
    return Query(
        text=question,
        lang=lang,
        dates=[f.span for f in found],
        entity_groups=entity_groups,
        countries=countries,
        terms=terms,
        oov=oov,
        unknown=unknown,
        unresolved=unresolved,
        intent=intent,
        card=card,
        mentioned=mentioned,
    )


def _translate(words: list[str], index: Index) -> list[str]:
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
    mentions: list[Mention], words: list[str], index: Index
) -> tuple[list[frozenset[str]], list[str], list[str], set[str]]:
    """Entities to require, countries to prefer, and roles that resolve to nobody."""
    kb = index.kb
    groups: list[frozenset[str]] = []
    countries: list[str] = []
    unresolved: list[str] = []
    consumed: set[int] = set()
    for n, m in enumerate(mentions):
        if m.kind != "role":
            continue
        country, at = _role_country(mentions, n, words, index.country_ids)
        if at is not None:
            consumed.add(at)
        accepted = {m.value, *index.lex.roles[m.value].also}
        holders = frozenset(
            e.id
            for e in index.role_holders
            for r in e.roles
            if r.role in accepted and (country is None or r.country == country)
        )
        if holders:
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
        else:
            groups.append(frozenset({m.value}))
    for g in groups:
        mentioned |= g
    return groups, countries, unresolved, mentioned


def _role_country(
    mentions: list[Mention], n: int, words: list[str], country_ids: frozenset[str]
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
    return None, None


def _card(
    spaced: str,
    mentions: list[Mention],
    groups: list[frozenset[str]],
    terms: list[str],
    intent: str,
) -> str | None:
    """The entity a "who is X" / "what is X" / "X là ai" question asks about, if that is all it asks."""
    if intent not in ("who", "what", "list") or len(groups) != 1 or len(groups[0]) != 1:
        return None
    if any(t not in _CARD_WORDS for t in terms):
        return None
    if not _CARD.match(spaced):
        return None
    return next(iter(groups[0]))
