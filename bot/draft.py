"""Drafting a source's entities and facts from an article, for an editor to review.

One fact per sentence that reports a dated event or a statement by someone the
article names: its date read against the publication date (with its precision), its
kind guessed from the verb, its actors linked to the base's entities by alias (exact,
then fuzzy and diacritic-blind) before any new entity is made. Every fact carries
`review: pending`; what the drafter was unsure of is listed for the reviewer.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process

from bot import dates, sentences
from bot.article import Article
from bot.knowledge import KnowledgeBase
from bot.names import (
    COMPANY_HEADS,
    CONNECTORS,
    COUNTRY_WORDS,
    NOT_NAMES,
    ORG_HEADS,
    VIETNAMESE_SURNAMES,
    Word,
    common_word,
    country,
    joined,
    looks_vietnamese_name,
    match_title,
    name_run,
    phrase,
    plain,
    slug,
    words,
)
from bot.text import fold

MAX_HEADLINE = 110
MAX_SUMMARY = 900
FUZZY_PERSON = 90
RECENT_DAYS = 62  # an event this close to the publication is the news, not background
_CONTEXT_OPENER = re.compile(
    r"^(?:during|at|in)\s+(?:the\s+)?(?:talks|meeting|reception|visit|call)|^tai buoi", re.I
)
_BOTH = re.compile(
    r"\b(?:the two|both(?: the)?)\s+(?:sides|ministers|officials|leaders|generals|delegations)\b"
    r"|\bhai (?:ben|bo truong|nuoc|phia)\b"
)
_PRONOUN = re.compile(r"\b(?:he|she|they|ong|ba|ho)\b")
_SIDES = re.compile(
    r"^(?:the two|the|both(?: the)?) (?:sides|countries|nations)\b|^hai (?:ben|nuoc)\b"
)
_OPENING_PRONOUN = re.compile(
    r"^(?:(?P<one>he|she|ong|ba|the (?:(?P<demonym>\w+) )?(?:minister|general|officer|"
    r"official|host|guest|leader|ambassador))|they|ho|"
    r"the (?:two )?(?:sides|ministers|leaders|officials)|both (?:sides|ministers)|hai ben)\b"
)
_SPEECH = frozenset({"said", "says", "told", "noted", "stressed", "added", "affirmed"})
_SUFFIXES = frozenset({"Jr", "Sr", "II", "III", "IV"})
# A place where something happened is introduced by "in", "at", "to" or "tại".
_AT_PLACE = re.compile(r"\b(?:in|at|to|tại|ở)\s+(?:the\s+)?$", re.I)
_MEETING_VERB = (
    (r"\b(?:received|receives)\b|\btiếp\b", "receives"),
    (r"\bhost", "hosts"),
    (r"talks|hội đàm", "holds talks with"),
)


@dataclass
class Draft:
    """A drafted source: its entry, new entities, facts, and notes for the reviewer."""

    entities: list[dict[str, Any]]
    facts: list[dict[str, Any]]
    linked: dict[str, str] = field(default_factory=dict)  # existing id -> as written
    unsure: list[str] = field(default_factory=list)


@dataclass
class _Mention:
    entity: str
    start: int
    written: str


@dataclass
class _Fact:
    date: dates.DateSpan
    actors: list[str]
    place: str | None = None


class Drafter:
    """Drafts one article against a fact base (see `draft`)."""

    def __init__(self, kb: KnowledgeBase, article: Article, source_id: str, added: dt.date):
        self.kb = kb
        self.article = article
        self.source_id = source_id
        self.added = added
        self.published = article.published or added
        self.new: dict[str, dict[str, Any]] = {}
        self.linked: dict[str, str] = {}
        self.unsure: list[tuple[str | None, str]] = []
        self.table: dict[tuple[str, ...], str] = {}
        self.foreign: set[str] = set()  # the countries other than Vietnam the article names
        self.subject: list[str] = []  # who the last fact was about ("He", "They" refer back)
        self.pair: list[str] = []  # the last two or more people acting together ("They")
        self.signed = ""  # what the last signing signed ("It was inked by ...")
        self.main: dates.DateSpan | None = None  # the day the news story reports
        for entity in kb.entities.values():
            for name in (entity.name, entity.name_vi or "", *entity.aliases):
                if key := phrase(name):
                    self.table.setdefault(key, entity.id)
        self.people = {
            fold(name): e.id
            for e in kb.entities.values()
            if e.type == "person"
            for name in (e.name, e.name_vi or "")
            if name
        }

    # --- entities --------------------------------------------------------------------

    def _type(self, entity_id: str) -> str:
        if entity_id in self.new:
            return str(self.new[entity_id]["type"])
        return self.kb.entities[entity_id].type

    def _name(self, entity_id: str) -> str:
        if entity_id in self.new:
            return str(self.new[entity_id]["name"])
        return self.kb.entities[entity_id].name

    def _home(self, entity_id: str) -> str | None:
        """The country whose post a person holds (for "X pledges $N to Y")."""
        if entity_id in self.new:
            roles = self.new[entity_id].get("roles", [])
            return roles[0].get("country") if roles else None
        entity = self.kb.entities[entity_id]
        return next((r.country for r in entity.roles if r.country), None)

    def _fresh_id(self, name: str) -> str:
        base = slug(plain(name))
        ident, n = base, 2
        while ident in self.kb.entities or ident in self.new:
            ident, n = f"{base}-{n}", n + 1
        return ident

    def _existing(self, name: str, kind: str) -> str | None:
        """The entity `name` already names: by alias, else (people) by a close spelling."""
        key = phrase(name)
        if key in self.table:
            return self.table[key]
        if kind != "person":
            return None
        near = process.extractOne(fold(name), list(self.people), scorer=fuzz.ratio)
        if near and near[1] >= FUZZY_PERSON:
            ident = self.people[near[0]]
            self.note(
                ident,
                f'"{name}" linked to {ident} ({self._name(ident)}) by a close spelling'
                f" ({near[1]:.0f}%)",
            )
            return ident
        return None

    def _add(self, entity: dict[str, Any], aliases: list[str]) -> str:
        ident = entity["id"]
        kept = []
        for alias in aliases:
            key = phrase(alias)
            if not key or alias == entity["name"] or alias in kept:
                continue
            if key in self.table and self.table[key] != ident:
                self.note(ident, f'alias "{alias}" left out: it already names {self.table[key]}')
                continue
            if len(alias) < 3 or (entity["type"] != "country" and common_word(alias)):
                self.table.setdefault(key, ident)  # still read as this entity in this article
                if entity["type"] != "country":
                    self.note(ident, f'alias "{alias}" left out: too short or an everyday word')
                continue
            kept.append(alias)
        if kept:
            entity["aliases"] = kept
        self.new[ident] = entity
        for name in (entity["name"], entity.get("name_vi") or "", *kept):
            if key := phrase(name):
                self.table.setdefault(key, ident)
        return ident

    def note(self, entity_id: str | None, text: str) -> None:
        """Something for the reviewer to check (shown only if the entity is used)."""
        self.unsure.append((entity_id, text))

    def _country(self, folded: str) -> str | None:
        """The entity id of the country a folded phrase names, adding it when new."""
        existing = self.table.get(tuple(folded.split()))
        if existing and self._type(existing) == "country":
            return existing
        found = country(folded)
        if found is None:
            return None
        existing = self.table.get(phrase(found.name))
        if existing:
            return existing
        demonyms = [
            w.upper() if len(w) <= 3 else w.title()
            for w, code in COUNTRY_WORDS.items()
            if code == found.code and w.isascii() and w != fold(found.name_vi or "")
        ]
        entity: dict[str, Any] = {"id": self._fresh_id(found.name), "type": "country"}
        entity["name"] = found.name
        if found.name_vi:
            entity["name_vi"] = found.name_vi
        entity["description"] = f"{found.official}."
        return self._add(entity, [*demonyms, folded.title()])

    def _country_at(self, ws: list[Word], i: int) -> tuple[int, str] | None:
        if (i > 0 and _in_name(ws[i - 1], ws[i])) or (
            i + 1 < len(ws) and ws[i + 1].key in _MIDDLE_NAMES and _in_name(ws[i + 1], ws[i], 1)
        ):
            return None  # "Nguyen Thai", "Hoang Van Nga", "Thai Van Long": a person's name
        for n in (3, 2, 1):
            if i + n <= len(ws) and ws[i].capitalised:
                ident = self._country(" ".join(w.key for w in ws[i : i + n]))
                if ident:
                    return i + n, ident
        return None

    def _countries_in(self, ws: list[Word]) -> list[str]:
        """The countries named in a sentence, longest names first ("Nam Sudan", not "Sudan")."""
        found, i = [], 0
        while i < len(ws):
            if c := self._country_at(ws, i):
                found.append(c[1])
                i = c[0]
            else:
                i += 1
        return found

    def _person(
        self,
        sentence: str,
        ws: list[Word],
        a: int,
        b: int,
        role: str,
        title: str,
        where: str | None,
    ) -> None:
        name = sentence[ws[a].start : ws[b - 1].end]
        if b - a < 2 and phrase(name) not in self.table:
            return
        existing = self._existing(name, "person")
        if existing:
            self.linked.setdefault(existing, name)
            if existing in self.new and role and "roles" not in self.new[existing]:
                self._give_role(self.new[existing], role, title, where)
            return
        vietnamese = looks_vietnamese_name(name)
        if where is None and vietnamese:
            where = self.table.get(("vietnam",))
            self.note(self._fresh_id(name), f"{name}: taken to be Vietnamese from the name")
        entity: dict[str, Any] = {"id": self._fresh_id(name), "type": "person", "name": plain(name)}
        if plain(name) != name:
            entity["name_vi"] = name
        parts = [p for p in plain(name).split() if p.rstrip(".") not in _SUFFIXES] or [name]
        aliases = [parts[-1]] if len(parts) > 1 and len(parts[-1]) >= 4 else []
        if len(parts) == 3 and not vietnamese:
            aliases.append(parts[0])  # "Mr Lee" for Lee Hsien Loong (too short: this article only)
        of = f" of {self._name(where)}" if where else ""
        entity["description"] = (
            f"{title or 'Named in the article'}{of}."
            if title
            else (
                f"Named in {self.article.publisher or 'the article'}'s report of {self.published}."
            )
        )
        if role:
            self._give_role(entity, role, title, where)
        self._add(entity, aliases)

    def _give_role(self, entity: dict[str, Any], role: str, title: str, where: str | None) -> None:
        held: dict[str, Any] = {"role": role, "title": title or role.replace("-", " ")}
        if where:
            held["country"] = where
        held["as_of"] = self.published
        held["source"] = self.source_id
        entity["roles"] = [held]
        of = f" of {self._name(where)}" if where else ""
        entity["description"] = f"{held['title']}{of}."

    def _titled_people(self, sentence: str, ws: list[Word]) -> None:
        """People introduced by a title: "Indian Defence Minister Rajnath Singh",
        "Hoang Xuan Chien, Vietnam's Deputy Minister of National Defence"."""
        i, last_person_end = 0, -1
        last_role = ("", "")
        while i < len(ws):
            if not match_title(ws, i):
                i += 1
                continue
            start, role, title, where = i, "", "", None
            if i > 0 and joined(sentence, ws[i - 1], ws[i]):
                for n in (2, 1):
                    if i - n >= 0 and (c := self._country_at(ws[i - n : i], 0)) and c[0] == n:
                        start, where = i - n, c[1]
                        break
            j = i
            while j < len(ws):
                if t := match_title(ws, j):
                    if ws[j].key in ("counterpart", "nguoi") and not role:
                        role, title = last_role
                    if t[1] and not role:
                        role, title = t[1], sentence[ws[j].start : ws[t[0] - 1].end]
                        if self.article.language != "en":
                            title = role.replace("-", " ").title()
                    j = t[0]
                elif (c := self._country_at(ws, j)) and ws[j].capitalised:
                    where = where or c[1]
                    j = c[0]
                elif ws[j].key in ("of", "in", "to", "tai") and (
                    j + 1 < len(ws) and self._country_at(ws, j + 1)
                ):
                    continue_at = self._country_at(ws, j + 1)
                    if ws[j].key == "of":
                        where = continue_at[1] if continue_at else where
                    j = continue_at[0] if continue_at else j + 1
                else:
                    break
            if role:
                last_role = (role, title)
            end = name_run(sentence, ws, j)
            if end > j and joined(sentence, ws[j - 1], ws[j]):
                if not role and (after := self._title_after(sentence, ws, end)):
                    role, title, where = after[0], after[1], where or after[2]
                self._person(sentence, ws, j, end, role, title, where)
                last_person_end, i = end, end
                continue
            comma = start > 0 and "," in sentence[ws[start - 1].end : ws[start].start]
            if comma and role:
                back = start
                while (
                    back > 0
                    and ws[back - 1].capitalised
                    and ws[back - 1].key not in NOT_NAMES
                    and not match_title(ws, back - 1)
                    and (back == start or joined(sentence, ws[back - 1], ws[back]))
                    and start - back < 4
                ):
                    back -= 1
                if back < start and (last_person_end == start or back < start - 1):
                    self._person(sentence, ws, back, start, role, title, where)
            i = max(j, i + 1)

    def _title_after(
        self, sentence: str, ws: list[Word], end: int
    ) -> tuple[str, str, str | None] | None:
        """The role a title after a name gives ("General X, Chief of the General Staff of
        the Vietnam People's Army"): role id, title as written, country."""
        if end >= len(ws) or sentence[ws[end - 1].end : ws[end].start].strip() != ",":
            return None
        found = match_title(ws, end)
        if not found or not found[1]:
            return None
        title = sentence[ws[end].start : ws[found[0] - 1].end]
        rest = ws[found[0] : found[0] + 4]
        where = next((c[1] for k in range(len(rest)) if (c := self._country_at(rest, k))), None)
        return found[1], title, where

    def _speakers(self, sentence: str, ws: list[Word]) -> None:
        """People named without a title right before what they said ("Jay Tarriela said")."""
        for k, w in enumerate(ws):
            if w.key not in _SPEECH or k < 2 or not joined(sentence, ws[k - 1], w):
                continue
            start = k
            while (
                start > 0
                and k - start < 3
                and ws[start - 1].capitalised
                and ws[start - 1].key not in NOT_NAMES
                and (start == k or joined(sentence, ws[start - 1], ws[start]))
            ):
                start -= 1
            if k - start < 2 or match_title(ws, start) or phrase(ws[k - 1].text) in self.table:
                continue  # "PM Modi said": a title, or a name already known
            keys = [x.key for x in ws[start:k]]
            name = sentence[ws[start].start : ws[k - 1].end]
            if any(key in ORG_HEADS for key in keys) or self._country_at(ws[start:k], 0):
                continue
            if phrase(name) not in self.table:
                self._person(sentence, ws, start, k, "", "", None)

    def _organisations(self, sentence: str, ws: list[Word]) -> None:
        i = 0
        while i < len(ws):
            if not ws[i].capitalised or ws[i].key in NOT_NAMES:
                i += 1
                continue
            j = i + 1
            while j < len(ws) and joined(sentence, ws[j - 1], ws[j]):
                if ws[j].key == "and" and _headed(ws[i:j]) and _headed(ws[j + 1 : j + 6]):
                    break  # "the Navy and the Coast Guard": two organisations
                if _headed(ws[i:j]) and match_title(ws, j):
                    break  # "the Thai Defence Ministry General X": the general is a person
                if ws[j].capitalised or (
                    ws[j].key in CONNECTORS and j + 1 < len(ws) and ws[j + 1].capitalised
                ):
                    j += 1
                else:
                    break
            keys = [w.key for w in ws[i:j]]
            head = keys[-1] in ORG_HEADS or any(k in ("ministry", "department") for k in keys)
            if head and j - i >= 2 and not match_title(ws, i):
                name = sentence[ws[i].start : ws[j - 1].end]
                if re.match(r"^\S+['’]s\s", name):  # "Singapore's Ministry of Defence"
                    name = re.sub(r"['’]s\s", " ", name, count=1)
                existing = self._existing(name, "organisation") or self._same_ministry(ws[i:j])
                if existing:
                    self.linked.setdefault(existing, name)
                    self.table.setdefault(phrase(name), existing)  # mentions find it
                else:
                    self._organisation(name, ws, i, j, sentence)
            i = j

    def _same_ministry(self, ws: list[Word]) -> str | None:
        """The base's ministry or department of the same country and field, however it is
        written ("Vietnam's Ministry of Defense" is the Ministry of National Defence of
        Vietnam)."""
        keys = {w.key for w in ws}
        heads = keys & {"ministry", "department"}
        fields = keys & _MINISTRY_FIELDS
        where = next((c[1] for k in range(len(ws)) if (c := self._country_at(ws, k))), None)
        if not heads or not fields or where is None:
            return None
        country_names = [set(key) for key, ident in self.table.items() if ident == where]
        for entity in self.kb.entities.values():
            if entity.type != "organisation":
                continue
            for name in (entity.name, *entity.aliases):
                toks = set(phrase(name))
                if heads <= toks and fields <= toks and any(c <= toks for c in country_names):
                    return entity.id
        return None

    def _organisation(self, name: str, ws: list[Word], i: int, j: int, sentence: str) -> None:
        kind = "company" if any(w.key in COMPANY_HEADS for w in ws[i:j]) else "organisation"
        where = self._country_at(ws[i:j], 0)
        entity: dict[str, Any] = {"id": self._fresh_id(name), "type": kind, "name": plain(name)}
        if plain(name) != name:
            entity["name_vi"] = name
        of = f" of {self._name(where[1])}" if where else ""
        entity["description"] = f"{'Company' if kind == 'company' else 'Organisation'}{of}."
        if not where and ws[i].key in ("ministry", "department"):
            self.note(entity["id"], f'"{name}": which country\'s? Add it to the name')
        aliases = []
        if m := re.match(r"\s*\(([A-Z][A-Za-z0-9&-]{1,11})\)", sentence[ws[j - 1].end :]):
            aliases.append(m.group(1))
        self._add(entity, aliases)

    def _places(self, sentence: str, ws: list[Word]) -> None:
        for i, w in enumerate(ws[:-1]):
            if w.key not in ("in", "at", "tai") or not ws[i + 1].capitalised:
                continue
            if self._country_at(ws, i + 1):
                continue
            end = name_run(sentence, ws, i + 1, most=3)
            if end == i + 1:
                continue
            name = sentence[ws[i + 1].start : ws[end - 1].end]
            existing = self._existing(name, "place")
            if existing:
                self.linked.setdefault(existing, name)
                continue
            if match_title(ws, i + 1) or any(w.key in ORG_HEADS for w in ws[i + 1 : end]):
                continue
            if name.isupper():  # an acronym ("in UN peacekeeping") is not a place
                continue
            entity = {"id": self._fresh_id(name), "type": "place", "name": plain(name)}
            if plain(name) != name:
                entity["name_vi"] = name
            entity["description"] = f"Place named in {self.article.publisher or 'an article'}."
            self._add(entity, [])
            self.note(entity["id"], f'"{name}" taken to be a place (from "{w.text} {name}")')

    # --- facts -----------------------------------------------------------------------

    def _mentions(self, sentence: str, ws: list[Word]) -> list[_Mention]:
        flat: list[str] = []
        owner: list[int] = []
        for n, w in enumerate(ws):
            for t in w.key.split():
                flat.append(t)
                owner.append(n)
        out = []
        for a, b, matched in _longest(self.table, flat):
            ident = self.table[matched]
            first, last = ws[owner[a]], ws[owner[b - 1]]
            kind = self._type(ident)
            if not first.capitalised and kind not in ("event", "agreement"):
                continue
            written = sentence[first.start : last.end]
            if kind in ("event", "agreement") and not self._same_countries(ident):
                self.note(
                    None, f'"{written}" not linked to {ident}: that one concerns other countries'
                )
                continue
            out.append(_Mention(ident, first.start, written))
            if ident not in self.new:
                self.linked.setdefault(ident, written)
        return out

    def _same_countries(self, entity_id: str) -> bool:
        """True when an agreement or event of the base involves a foreign country this
        article names (a "joint vision statement" with Japan is not the one with the US)."""
        if entity_id in self.new or not self.foreign:
            return True
        countries: set[str] = set()
        for fact in self.kb.facts:
            if entity_id in fact.actors or fact.event == entity_id:
                for actor in fact.actors:
                    entity = self.kb.entities[actor]
                    if entity.type == "country":
                        countries.add(actor)
                    countries.update(r.country for r in entity.roles if r.country)
        return bool(countries & self.foreign)

    def _headline(
        self,
        kind: str,
        verb: str,
        actors: list[str],
        place: str | None,
        body: str,
        tags: list[str],
        money: list[dict[str, Any]],
        sides: str | None = None,
        doers: list[str] | None = None,
    ) -> str:
        """A headline: a template for meetings, visits, calls and signings; else who did
        what, from the sentence (in an English article) or its gist (in another language).
        `sides` names "the two sides" when the sentence says only that."""
        names = [self._name(a) for a in actors]
        people = [self._name(a) for a in actors if self._type(a) != "country"] or names
        first = people[0]
        other = next((n for n in names if n != first), None)
        at = f" in {self._name(place)}" if place else ""
        if kind == "meeting" and other:
            word = next((w for p, w in _MEETING_VERB if re.search(p, verb)), "meets")
            return f"{first} {word} {other}{at}"
        if kind == "visit" and (place or other):
            to = next(
                (n for n in names[1:] if re.search(rf"\bto (?:the )?{re.escape(n)}", body)), None
            )
            return f"{first} visits {self._name(place) if place else to or other}"
        if kind == "call" and other:
            return f"{first} holds a phone call with {other}"
        if kind == "agreement" and not re.search(rf"\b(?:was|were|be|been)\s+{verb}", body):
            rest = body.split(verb, 1)[-1]
            obj = re.split(
                rf",| before | after | in | at | with | on (?:{sentences.DAY_WORDS}|\d)", rest
            )[0]
            obj = obj.strip()
            who = sides or (f"{first} and {other}" if other else first)
            words_ = obj.split()
            while words_ and len(f"{who} sign {' '.join(words_)}") > MAX_HEADLINE - 10:
                words_.pop()  # a headline, not the agreement's whole name and purpose
            while words_ and words_[-1].lower() in _DANGLING:
                words_.pop()
            obj = " ".join(words_)
            if obj and not re.match(r"(?:between|by|on|to|for)\b", obj):
                self.signed = obj
                return f"{who} sign {obj}"
        topics = [t for t in tags if t not in (kind_word(kind),) and not t.startswith("Vietnam-")]
        if self.article.language != "en":
            if kind == "funding" and money:
                home = self._home(actors[0])
                given = [
                    n for a, n in zip(actors, names, strict=True) if a not in (home, actors[0])
                ]
                to = f" to {given[-1]}" if given else ""
                return f"{first} pledges {_dollars(money[0]['value'])}{to}"
            if kind == "statement":
                return f"{first} on {', '.join(topics[:2]) or 'defence cooperation'}"
            return f"{' and '.join(names[:2])}: {', '.join(topics[:2]) or kind}"
        acting = [self._name(a) for a in doers or [] if self._type(a) != "country"]
        who = sides or " and ".join((acting or people)[:2])
        gist = _gist(body, verb, who=who) or sentences.shorten(body, 80)
        if self.signed and re.match(r"(?:It|This|They) (?:was|were) ", gist):  # what was signed
            gist = self.signed[:1].upper() + self.signed[1:] + gist[gist.index(" ") :]
        return gist

    def _fact(
        self, sentence: str, context: _Fact | None, used: set[str], tags_of: list[str]
    ) -> dict[str, Any] | None:
        ws = words(sentence)
        amounts = sentences.amounts(sentence)
        guess = sentences.kind_of(sentence, bool(amounts))
        kind, verb = guess or ("statement", "")
        amounts += sentences.counts(sentence)
        mentions = self._mentions(sentence, ws)
        placed = [m for m in mentions if self._type(m.entity) == "place"]
        places = [m.entity for m in placed if _AT_PLACE.search(sentence[: m.start])]
        actors = list(
            dict.fromkeys(m.entity for m in mentions if m not in placed or m.entity not in places)
        )
        doers = [a for a in actors if self._type(a) == "person"]
        doers += [a for a in actors if self._type(a) in ("organisation", "company")]
        earlier = self.subject
        countries = [a for a in actors if self._type(a) == "country"]
        opening = _OPENING_PRONOUN.match(fold(sentence))
        if opening and earlier:  # "He thanked the ministry": he, not the ministry
            one = opening["one"] and self._referent(opening["demonym"], earlier)
            doers = list(dict.fromkeys([*(one or self.pair or earlier), *doers]))
            if one:
                mentioned = [a for a in actors if a not in one]
                doers = doers[:1]
                actors = [*doers, *mentioned]
        elif _BOTH.search(fold(sentence)) or (not doers and _PRONOUN.search(fold(sentence))):
            doers = list(dict.fromkeys([*earlier, *doers]))
        if not doers and countries and guess:  # "Vietnam and the Philippines agreed to ..."
            doers = countries[:2]
        others = [a for a in actors if a not in doers and a not in countries]
        actors = list(dict.fromkeys([*doers, *others, *countries]))[:6]
        if not doers and not actors and earlier and (guess or amounts):
            actors = doers = list(earlier)  # "The MOU covers ...": the story's subject
        if not doers and (kind in ("statement", "announcement") or not actors):
            return None
        if guess is None and not doers:
            return None
        # the countries of the people acting: "Vietnam and Japan agreed" finds their ministers
        theirs = [self._country_of(a) for a in doers if self._type(a) == "person"]
        actors = list(dict.fromkeys([*actors, *(c for c in theirs if c)]))[:6]
        people = [a for a in doers if self._type(a) != "country"]
        self.subject = people or self.subject or doers  # countries do not replace a person
        if len(people) > 1:
            self.pair = people
        found = sentences.dates_in(sentence, self.published)
        status = None
        if kind == "statement":  # said when it was said: not "next year", not "this year"
            found = [(d, w) for d, w in found if d.start <= self.published]
            if context and found and found[0][0].precision != "day":
                span = found[0][0]
                found = [] if span.start <= context.date.start <= span.end else found
        if found and not (
            context and found[0][0].precision == "year" and _CONTEXT_OPENER.search(sentence)
        ):
            span, written = found[0]
            note = f'"{written}" read against the publication date, {self.published.isoformat()}'
            if span.start > self.published:
                status = "announced"
                kind = kind if kind in ("visit", "meeting", "event") else "announcement"
        elif context and context.date.precision == "day":
            span, note = context.date, "not dated in the sentence; the date of the event before it"
            if kind in ("visit", "meeting", "event") and sentences.future(sentence):
                status = "announced"
        elif self.main:  # not a multi-day visit's range: the day the story is about
            span = self.main
            note = f"not dated in the sentence; the story's main event date ({span.start})"
        else:
            span = dates.day_span(self.published)
            note = "not dated in the article; the publication date"
        body = sentences.without_opener(sentence)
        tags = list(dict.fromkeys([kind_word(kind), *tags_of, *sentences.topics(sentence)]))
        if not places and context and context.place and span == context.date:
            places = [context.place]  # "They also agreed ...": where the talks were held
        place = places[0] if places else None
        if self._sides(body):  # "The two sides signed ...": the two countries
            countries = [self.table[("vietnam",)], *self.foreign]
            actors = list(dict.fromkeys([*countries, *actors]))[:6]
        headline = sentences.shorten(
            self._headline(
                kind, verb, actors, place, body, tags, amounts, self._sides(body), doers
            ),
            MAX_HEADLINE,
        )
        if re.search(r"\b(?:took office|was appointed|assumed (?:the )?(?:office|post))\b", body):
            self._took_office(doers, span)
        if headline.endswith("…"):
            self.note(None, f'headline cut short, rewrite it: "{headline}"')
        ident = _fact_id(headline, span, used | {f.id for f in self.kb.facts})
        used.add(ident)
        fact: dict[str, Any] = {"id": ident, "date": _date_value(span), "date_note": note}
        fact["kind"] = kind
        if status:
            fact["status"] = status
        fact["actors"] = actors
        if places:
            fact["place"] = places[0]
        fact["headline"] = headline
        fact["summary"] = sentences.shorten(sentence, MAX_SUMMARY)
        if self.article.language == "vi":
            fact["headline_vi"] = sentences.shorten(body, 140)
            fact["summary_vi"] = sentences.shorten(sentence, 1100)
        if items := sentences.areas(sentence):
            fact["items"] = items
            fact["items_of"] = "areas of cooperation"
        if amounts:
            fact["amounts"] = amounts
        fact["tags"] = tags
        fact["review"] = "pending"
        fact["source"] = self.source_id
        return fact

    def _took_office(self, doers: list[str], span: dates.DateSpan) -> None:
        """ "He took office in October 2019": when a new person's role began."""
        person = next((a for a in doers if a in self.new and self.new[a].get("roles")), None)
        if person and span.precision != "range" and span.start <= self.published:
            self.new[person]["roles"][0]["from"] = _date_value(span)

    def _referent(self, demonym: str | None, earlier: list[str]) -> list[str]:
        """Who "he" or "the Vietnamese officer" is: the last person spoken of, of that
        country when one is named."""
        people = [a for a in dict.fromkeys([*earlier, *self.pair]) if self._type(a) == "person"]
        where = self._country(demonym) if demonym else None
        if where:
            people = [p for p in people if self._country_of(p) == where] or people[:0]
        return people[:1]

    def _country_of(self, person: str) -> str | None:
        if person in self.new:
            roles = self.new[person].get("roles") or [{}]
            return roles[0].get("country")
        held = self.kb.entities[person].roles
        return held[-1].country if held else None

    def _sides(self, body: str) -> str | None:
        """ "Vietnam and Singapore" for a sentence about "the two sides" or "both countries"
        of an article about Vietnam and one other country (not its two ministers)."""
        vietnam = self.table.get(("vietnam",))
        if not _SIDES.match(fold(body)) or not vietnam or len(self.foreign) != 1:
            return None
        return f"{self._name(vietnam)} and {self._name(next(iter(self.foreign)))}"

    def _settle_country(self, entity: dict[str, Any]) -> None:
        """A new person's role without a country: the one foreign country the article
        names, unless the name is Vietnamese; a person with no role is noted."""
        roles = entity.get("roles", [])
        name = entity["name"]
        if entity["type"] == "person" and not roles:
            self.note(entity["id"], f"{name}: no role word the engine knows was found")
        if not roles or "country" in roles[0]:
            return
        if looks_vietnamese_name(entity.get("name_vi") or name):
            if "vietnam" in self.kb.entities:
                roles[0]["country"] = "vietnam"
                entity["description"] = f"{roles[0]['title']} of Vietnam."
            return
        if len(self.foreign) != 1:
            return
        (where,) = self.foreign
        roles[0]["country"] = where
        entity["description"] = f"{roles[0]['title']} of {self._name(where)}."
        self.note(entity["id"], f"{name}: taken to be of {where}, the one other country named")

    def _main_date(self, said: list[str]) -> dates.DateSpan | None:
        """The day the story reports: its first recent, past day, else its first recent
        range (a visit's days)."""
        recent = [
            span
            for sentence in said
            for span, _ in sentences.dates_in(sentence, self.published)[:1]
            if abs((span.start - self.published).days) <= RECENT_DAYS
            and span.start <= self.published
        ]
        return next((d for d in recent if d.precision == "day"), None) or next(
            (d for d in recent if d.precision == "range"), None
        )

    def run(self) -> Draft:
        text = self.article.text
        title = self.article.title or ""
        lines = text.splitlines()
        if lines and title and fold(lines[0].strip()) == fold(title.strip()):
            text = "\n".join(lines[1:])
        said = sentences.split(text)
        for sentence in said:
            ws = words(sentence)
            self._titled_people(sentence, ws)
            self._speakers(sentence, ws)
            self._organisations(sentence, ws)
            self._countries_in(ws)
            self._places(sentence, ws)
        vietnam = self.table.get(("vietnam",))
        for sentence in said:
            self.foreign.update(c for c in self._countries_in(words(sentence)) if c != vietnam)
        others = [
            self._name(e)
            for e in dict.fromkeys(self.table.values())
            if e in self.new and self.new[e]["type"] == "country"
        ]
        pair = [f"Vietnam-{name}" for name in others if vietnam]
        self.main = self._main_date(said)
        facts: list[dict[str, Any]] = []
        context: _Fact | None = None
        used: set[str] = set()
        for sentence in said:
            fact = self._fact(sentence, context, used, pair)
            if fact is None:
                continue
            facts.append(fact)
            span = dates.parse_fact_date(fact["date"])
            recent = abs((span.start - self.published).days) <= RECENT_DAYS
            dated_here = not fact["date_note"].startswith("not dated")
            if recent and (dated_here or fact["kind"] != "statement"):
                context = _Fact(span, fact["actors"], fact.get("place") or context_place(context))
        used_ids = {a for f in facts for a in (*f["actors"], f.get("place"))}
        used_ids |= {r.get("country") for e in self.new.values() for r in e.get("roles", [])}
        entities = [e for e in self.new.values() if e["id"] in used_ids]
        for e in entities:
            self._settle_country(e)
        return Draft(
            entities=entities,
            facts=facts,
            linked={k: v for k, v in self.linked.items() if k in self.kb.entities},
            unsure=list(
                dict.fromkeys(
                    t for e, t in self.unsure if e is None or e in used_ids | set(self.linked)
                )
            ),
        )


def _headed(ws: list[Word]) -> bool:
    """True when the words hold an organisation's head word ("Navy", "Ministry")."""
    return any(w.key in ORG_HEADS or w.key in ("ministry", "department") for w in ws)


_MINISTRY_FIELDS = frozenset(["defense", "foreign", "trade", "industry", "security", "finance"])
_MIDDLE_NAMES = frozenset(["van", "thi", "duc", "huu", "xuan", "quoc", "cong", "ngoc"])
_NAME_PARTS = VIETNAMESE_SURNAMES | frozenset(
    ["thi", "duc", "huu", "minh", "xuan", "quoc", "cong", "ngoc", "thanh"]
)


def _in_name(other: Word, word: Word, after: int = 0) -> bool:
    """True when `word` is next to a Vietnamese family or middle name `other` (before
    it, or `after` it) with only a space between: part of a person's name, not a country."""
    gap = other.start - word.end if after else word.start - other.end
    return other.capitalised and other.key in _NAME_PARTS and gap <= 1


_CLAUSE_END = re.compile(
    r"[,;:(“\"–—]|\s(?:which|who|whom|while|as well as|in order to|so as to|in line with|"
    r"for the sake of|during|after|before|because|based on|in an effort)\s"
)
_SIGNING = frozenset(["signed", "inked", "sign", "signs"])
_DANGLING = frozenset(
    [
        "that",
        "under",
        "from",
        "into",
        "over",
        "about",
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "at",
        "and",
        "or",
        "for",
        "with",
        "by",
        "its",
        "their",
        "his",
        "her",
        "as",
    ]
)


def _gist(body: str, verb: str, who: str, most: int = 14) -> str:
    """A short headline from a sentence: who, the verb and its object up to the end of
    the clause ("Giang affirmed that Vietnam attaches great importance to ...")."""
    at = body.find(verb) if verb else -1
    if at < 0:
        rest, subject = body, ""
        if opening := _OPENING_PRONOUN.match(fold(body)):
            rest, subject = body[opening.end() :].strip(), who
    else:
        rest, subject = body[at:], body[:at].strip(" ,")
        if re.match(rf"{re.escape(verb)}\s+by\b", rest):  # "It was inked by A and B"
            what = _CLAUSE_END.split(subject)[-1].strip()
            if who and 0 < len(what.split()) <= 8:
                return f"{what[:1].upper()}{what[1:]} {verb} by {who}"
            rest, subject, at = body, "", -1
        elif verb in _SIGNING and len(subject.split()) > 6:  # "... the MOU inked in 2010"
            noun = re.split(r"\b(?:the|a|an)\s", subject)[-1].strip()
            if noun and len(noun.split()) <= 8 and noun != subject:
                subject, at = noun, -1
        said_after = verb in ("said", "says", "told", "noted", "added", "stressed")
        if said_after and subject.endswith(("”", '"')):  # "“...,” X said": the quote
            rest, subject = subject.strip('“”" ,'), ""
    if at >= 0 and (
        not subject or len(subject.split()) > 6 or _OPENING_PRONOUN.match(fold(subject))
    ):
        subject = who
    clause = _CLAUSE_END.split(rest, maxsplit=1)[0].split()
    if len(clause) < 4:  # "concurred that, based on ...": read on past the aside
        clause = re.split(r"[;:(“\"]", rest, maxsplit=1)[0].replace(",", "").split()
    clause = clause[:most]
    while clause and len(" ".join([subject, *clause])) > MAX_HEADLINE - 10:
        clause.pop()
    while clause and clause[-1].lower() in _DANGLING:
        clause.pop()
    text = " ".join([subject, *clause]).strip()
    return text[:1].upper() + text[1:]


def _longest(
    table: dict[tuple[str, ...], str], flat: list[str], most: int = 8
) -> list[tuple[int, int, tuple[str, ...]]]:
    """The phrases of `table` in `flat`, longest first, left to right, not overlapping."""
    out, i = [], 0
    while i < len(flat):
        for n in range(min(most, len(flat) - i), 0, -1):
            if (key := tuple(flat[i : i + n])) in table:
                out.append((i, i + n, key))
                i += n
                break
        else:
            i += 1
    return out


def context_place(context: _Fact | None) -> str | None:
    """The place of the event before, if any."""
    return context.place if context else None


def _dollars(value: float) -> str:
    """$300 million, $1.5 billion, $12,000."""
    for size, word in ((1e9, "billion"), (1e6, "million")):
        if value >= size:
            return f"${value / size:g} {word}"
    return f"${value:,.0f}"


def kind_word(kind: str) -> str:
    """A tag for a fact's kind."""
    return {"meeting": "talks", "agreement": "signed", "funding": "funding"}.get(kind, kind)


def _date_value(span: dates.DateSpan) -> Any:
    if span.precision == "day":
        return span.start
    if span.precision == "month":
        return f"{span.start.year}-{span.start.month:02d}"
    if span.precision == "year":
        return str(span.start.year)
    return {"start": span.start, "end": span.end}


_ID_STOP = frozenset(
    ["a", "an", "the", "of", "on", "in", "at", "to", "and", "for", "with", "by", "its", "their"]
)


def _fact_id(headline: str, span: dates.DateSpan, taken: set[str]) -> str:
    words_ = [w for w in slug(plain(headline), 200).split("-") if w not in _ID_STOP][:7]
    base = "-".join(words_) + f"-{span.start.year}"
    ident, n = base, 2
    while ident in taken:
        ident, n = f"{base}-{n}", n + 1
    return ident


def draft(kb: KnowledgeBase, article: Article, source_id: str, added: dt.date) -> Draft:
    """The draft entities and facts for `article`, to be filed under `source_id`."""
    return Drafter(kb, article, source_id, added).run()
