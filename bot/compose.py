"""The words of an answer: a direct lead for the question asked, then the facts.

Plain text only (no Slack markup). attache's own words come from the message
catalogue (bot/messages/<lang>.yaml); a Vietnamese answer uses the facts'
`headline_vi`/`summary_vi` where the base has them, English otherwise.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from bot import figures, intents, negation
from bot.anniversaries import beginnings, days_stated
from bot.dates import DateSpan
from bot.index import Index, IndexedFact
from bot.intents.kinds import CURRENCIES, TIME_UNITS
from bot.knowledge import Amount, Entity, Fact, Role
from bot.messages import say
from bot.query import Query, translate
from bot.text import as_number, fold, tokens

_IN_PERSON = re.compile(r"\b(?:in person|face to face|physically|truc tiep|gap mat)\b")
# What a yes/no question may claim that a fact's text confirms or contradicts: the part of
# the day ("was it in the morning?") and the kind of visit ("a working visit?"). Each is
# a pattern whose first matched group names it, that name's canonical form, and the
# message saying it.
_CLAIMS: tuple[tuple[re.Pattern[str], dict[str, str], str], ...] = (
    (
        re.compile(r"\b(morning|afternoon|evening|night|buoi sang|buoi chieu|buoi toi)\b"),
        {
            "morning": "morning",
            "afternoon": "afternoon",
            "evening": "evening",
            "night": "evening",
            "buoi sang": "morning",
            "buoi chieu": "afternoon",
            "buoi toi": "evening",
        },
        "in_the_{}",
    ),
    (
        re.compile(
            r"\b(official|working|state|private)(?: friendship| goodwill)? (?:visit|trip)\b"
            r"|\b(?:tham|chuyen tham) (chinh thuc|lam viec|cap nha nuoc|rieng)\b"
        ),
        {
            "official": "official",
            "working": "working",
            "state": "state",
            "private": "private",
            "chinh thuc": "official",
            "lam viec": "working",
            "cap nha nuoc": "state",
            "rieng": "private",
        },
        "visit_{}",
    ),
)
_PREPOSITIONS = frozenset({"of", "in", "for", "with", "to", "by", "on", "at", "from", "under"})
ANSWER_BUDGET = 680  # characters; a short answer for a short question
LIST_BUDGET = 1150
TIMELINE_BUDGET = 1150
KIND_ORDER = {
    "meeting": 0,
    "visit": 0,
    "call": 1,
    "agreement": 1,
    "event": 2,
    "funding": 2,
    "announcement": 3,
    "statement": 4,
}


_COUNT_CUE = ("how many", "number of", "bao nhieu", "so luong", "may")


def counted_words(query: Query, index: Index) -> list[str]:
    """The words a "how many" question counts: "companies" in "how many companies...?"
    (a Vietnamese question's in English: "hài cốt quân nhân" -> "remains soldier")."""
    spaced = " ".join(query.words)
    for cue in _COUNT_CUE:
        at = spaced.find(cue + " ")
        if at >= 0:
            after = spaced[at + len(cue) + 1 :].split()
            return translate(after[:5], index)[:4] if query.lang == "vi" else after[:3]
    return []


def timeline_order(item: IndexedFact) -> tuple[object, ...]:
    return (item.span.start, KIND_ORDER[item.fact.kind], item.fact.id)


_TIME_VI = {"year": "năm", "month": "tháng", "week": "tuần", "day": "ngày"}


def money(amount: Amount) -> str:
    symbol = CURRENCIES.get(amount.unit)
    value = amount.value
    if symbol is None:
        number = f"{value:,.0f}"
        return f"{amount.qualifier + ' ' if amount.qualifier else ''}{number}"
    for size, word in ((1e9, "billion"), (1e6, "million")):
        if value >= size:
            figure = f"{value / size:,.1f}".removesuffix(".0")
            return f"{amount.qualifier + ' ' if amount.qualifier else ''}{symbol}{figure} {word}"
    return f"{symbol}{value:,.0f}"


class Wording:
    """Answer texts in the asker's language (English or Vietnamese)."""

    def __init__(self, lang: str, index: Index) -> None:
        self.lang = lang
        self.vi = lang == "vi"
        self.index = index

    # --- helpers --------------------------------------------------------------------

    def date(self, span: DateSpan) -> str:
        if not self.vi:
            return span.describe()
        s, e = span.start, span.end
        if span.precision == "year":
            return f"năm {s.year}"
        if span.precision == "month":
            return f"tháng {s.month}/{s.year}" if span.year_known else f"tháng {s.month}"
        year = f"/{s.year}" if span.year_known else ""
        if span.precision == "day" or s == e:
            return f"ngày {s.day}/{s.month}{year}"
        if s.month == e.month:
            return f"từ {s.day} đến {e.day}/{s.month}{year}"
        return f"từ {s.day}/{s.month} đến {e.day}/{e.month}{year}"

    def weekday(self, day: dt.date) -> str:
        """ "Thursday" (Vietnamese: "thứ Năm")."""
        return self.say("weekdays").split(", ")[day.weekday()]

    def name(self, entity_id: str) -> str:
        entity = self.index.kb.entities[entity_id]
        return entity.name_vi if self.vi and entity.name_vi else entity.name

    def say(self, key: str, **fields: object) -> str:
        """A catalogue message in the asker's language."""
        return say(self.lang, key, **fields)

    def _hint(self) -> str:
        return self.say("hint", topics=", ".join(self.name(e) for e in self.index.topics))

    def headline(self, fact: Fact) -> str:
        return fact.headline_vi if self.vi and fact.headline_vi else fact.headline

    def summary(self, fact: Fact) -> str:
        return fact.summary_vi if self.vi and fact.summary_vi else fact.summary

    # --- abstentions ----------------------------------------------------------------

    def unknown(self, names: Sequence[str]) -> str:
        listed = ", ".join(n.title() if n.islower() else n for n in names)
        return self.say("unknown", names=listed, hint=self._hint())

    def unresolved(self, roles: Sequence[str]) -> str:
        listed = ", ".join(f"“{r}”" for r in roles)
        return self.say("unresolved", roles=listed, hint=self._hint())

    def nothing_on(self, spans: Sequence[DateSpan]) -> str:
        when = ", ".join(self.date(s) for s in spans[:3]) or "that date"
        on = "on" if spans and spans[0].precision == "day" else "in"
        first, last = self.index.first_day, self.index.last_day
        if self.vi:
            span_first, span_last = (
                f"tháng {first.month}/{first.year}",
                f"tháng {last.month}/{last.year}",
            )
        else:
            span_first, span_last = first.strftime("%B %Y"), last.strftime("%B %Y")
        return self.say(
            "nothing_on", on=on, when=when, first=span_first, last=span_last, hint=self._hint()
        )

    def need_date(self) -> str:
        return self.say("need_date")

    def dont_know(self) -> str:
        return self.say("dont_know", hint=self._hint())

    def began(self, year: int, marked: int, years: int) -> str:
        """The year something began, and the anniversary it was worked out from."""
        return self.say("began", year=year, marked=marked, years=years)

    def year_within(self, year: int, reported: DateSpan) -> str:
        """A year a fact's text gives for what was asked, and when it was reported."""
        return self.say("year_within", year=year, reported=self.date(reported))

    def no_place(self) -> str:
        return self.say("no_place", hint=self._hint())

    def no_figure(self) -> str:
        return self.say("no_figure", hint=self._hint())

    def closest(self, item: IndexedFact) -> str:
        """A partial match, framed as such: never presented as the answer."""
        return self.say("closest", text=self._body(item.fact))

    # --- answers --------------------------------------------------------------------

    def answer(self, query: Query, items: list[IndexedFact]) -> tuple[str, list[Fact]]:
        lead = intents.get(query.intent).lead_all(self, query, [i.fact for i in items])
        budget = LIST_BUDGET if lead.startswith("•") else ANSWER_BUDGET
        parts = [lead] if lead else []
        used: list[Fact] = []
        for item in items:
            body = self._body(item.fact)
            candidate = "\n".join([*parts, body])
            if used and len(candidate) > budget:
                break
            parts.append(body)
            used.append(item.fact)
        text = "\n".join(parts)
        if len(text) > budget:
            text = text[: budget - 1].rsplit(" ", 1)[0] + "…"
        return text, used

    def _body(self, fact: Fact) -> str:
        summary = " ".join(self.summary(fact).split())
        when = self.date(fact.date)
        if str(fact.date.start.year) in summary and fact.date.precision != "year":
            return summary
        return f"{summary} ({when})"

    def bullets(self, query: Query, fact: Fact) -> str:
        """The fact's list as bullets, without what the question sets aside."""
        return "\n".join(f"• {i}" for i in self._items(query, fact))

    def sums(self, fact: Fact) -> str:
        """The sums of money a fact states: "$130 million."."""
        figures = [money(a) for a in fact.amounts if a.unit in CURRENCIES]
        return f"{', '.join(figures)}." if figures else ""

    def _items(self, query: Query, fact: Fact) -> list[str]:
        """The fact's list, without what the question sets aside ("other than Boeing")."""
        if not query.excluded:
            return list(fact.items)
        linker = self.index.linker
        return [i for i in fact.items if not linker.entity_ids(i) & query.excluded] or list(
            fact.items
        )

    def yes(self, query: Query, fact: Fact) -> str:
        """ "Yes — AeroVironment." naming what the question asked about."""
        entities = self.index.kb.entities
        named = list(
            dict.fromkeys(  # a name and its role ("Khamliang ... the Lao minister") once
                e
                for g in query.entity_groups
                if len(g) == 1
                for e in g
                if entities[e].type not in ("country", "place")
            )
        )
        what = ", ".join(self.name(e) for e in named[:2])
        return self.say("yes", what=what) if what else self._bare("yes")

    def _bare(self, key: str) -> str:
        """ "Yes." / "No." (Vietnamese: "Có." / "Không."): the verdict with nothing after it."""
        return self.say(key, what="").rstrip(" —.") + "."

    def denial(self, query: Query, fact: Fact) -> str | None:
        """ "No." when the fact negates what a yes/no question asks about ("does not
        undermine"), the names it asks about aside."""
        named = {i for m in self.index.linker.mentions(query.words) for i in range(m.begin, m.end)}
        asked = set(
            self.index.analyzer.terms([w for i, w in enumerate(query.words) if i not in named])
        )
        if negation.denied(query.words, asked, fact.summary, self.index.analyzer):
            return self._bare("no")
        return None

    def verdict(self, query: Query, fact: Fact) -> str | None:
        """ "Yes — $130 million (…)." or "No — the Pentagon." when the question states a
        figure or a place the fact confirms or contradicts; None when there is none."""
        # the question's words, names too ("the credit line"), but not its countries
        entities = self.index.kb.entities
        countries = {
            i
            for m in self.index.linker.mentions(query.words)
            if m.kind == "entity" and entities[m.value].type == "country"
            for i in range(m.begin, m.end)
        }
        asked = self.index.analyzer.terms(
            [w for i, w in enumerate(query.words) if i not in countries]
        )
        found = figures.verdict(figures.stated(query.words, query.text), fact, asked, self.index)
        if found is not None:
            confirmed, amount = found
            return self.say("yes" if confirmed else "no", what=f"{money(amount)} ({amount.of})")
        if _IN_PERSON.search(" ".join(query.words)):  # "did they meet in person?"
            held = set(self.index.analyzer.terms(tokens(fact.summary)))
            if fact.kind == "call" or "online" in held:
                how = self.say("by_video" if "online" in held else "by_phone")
                return self.say("no", what=how)
        typed, reported = " ".join(query.words), fold(fact.summary)
        for pattern, canonical, message in _CLAIMS:  # "morning?": "No — in the evening."
            claimed, told = pattern.search(typed), pattern.search(reported)
            if claimed and told:
                value = canonical[next(g for g in told.groups() if g)]
                confirmed = canonical[next(g for g in claimed.groups() if g)] == value
                what = self.say(message.format(value))
                return self.say("yes" if confirmed else "no", what=what)
        where = fact.place
        if query.claimed_places and where and where in self.index.kb.entities:
            confirmed = where in query.claimed_places
            return self.say("yes" if confirmed else "no", what=self.name(where))
        return None

    def interval(self, count: int, unit: str, facts: list[Fact], spans: list[DateSpan]) -> str:
        """ "1 year: X (September 2023) and Y (6-11 September 2024)." """
        figure = self._figure(count, unit)
        ends = [f"{self.headline(f)} ({self.date(f.date)})" for f in facts]
        if len(ends) < len(spans):
            ends.append(self.date(spans[-1]))
        return self.say("interval", figure=figure, first=ends[0], second=ends[1])

    def order(self, first: Fact, second: Fact, latest: bool) -> str:
        """ "First: “X” (date); then “Y” (date)." (the later first when `latest`)."""
        return self.say(
            "order_last" if latest else "order_first",
            first=self.headline(first),
            first_date=self.date(first.date),
            second=self.headline(second),
            second_date=self.date(second.date),
        )

    def tenure(self, entity: Entity, role: Role, count: int, unit: str) -> str:
        """ "About 2 years: Tomas Lind, Minister of Defence, Norland, since 1 July 2022." """
        figure = self._figure(count, unit)
        whose = role.org or role.country
        post = f"{role.title}, {self.name(whose)}" if whose else role.title
        since = self.date(role.since) if role.since else ""
        until = self.date(role.until) if role.until else ""
        return self.say(
            "tenure_ended" if role.until else "tenure",
            figure=figure,
            name=self.name(entity.id),
            post=post,
            since=since,
            until=until,
        )

    def _figure(self, count: int, unit: str) -> str:
        if self.vi:
            return f"{count} {dict(year='năm', month='tháng', day='ngày')[unit]}"
        return f"{count} {unit}{'' if count == 1 else 's'}"

    def duration(self, fact: Fact) -> str:
        """How long a dated event lasted, counted from its first to its last day."""
        span = fact.date
        if span.precision != "range":
            return ""
        unit = "ngày" if self.vi else ("day" if span.days == 1 else "days")
        return self.say("duration", count=f"{span.days} {unit}", when=self.date(span))

    def stated_time(self, query: Query, fact: Fact) -> str:
        """A length of time the fact states ("45 years of diplomatic relations"), when it
        is of something the question names."""
        asked = set(query.terms)
        for a in fact.amounts:
            if a.unit in TIME_UNITS and asked & set(self.index.analyzer.terms(tokens(a.of))):
                unit = _TIME_VI.get(a.unit.rstrip("s"), a.unit) if self.vi else a.unit
                return f"{money(a)} {unit} ({a.of})."
        for began in beginnings(fact):  # "the 30th anniversary of diplomatic relations"
            if asked & set(self.index.analyzer.terms(tokens(began.what))):
                return self.say(
                    "years_since", years=began.years, marked=began.marked, year=began.year
                )
        days = days_stated(fact)  # "a two-day visit"
        if days is not None:
            return f"{days} {'ngày' if self.vi else 'days' if days > 1 else 'day'}."
        return ""

    def asks_for_items(self, query: Query, fact: Fact) -> bool:
        """True when the question names what the fact's list is of ("growth areas")."""
        return bool(self._list_head(fact) & set(query.terms))

    def _list_head(self, fact: Fact) -> set[str]:
        """The term of what a fact's list is of: the last word before any preposition
        ("companies" of "companies in the delegation", "subjects" of "subjects of
        Canadian scholarships")."""
        words = tokens(fact.items_of or "")
        cut = next((i for i, w in enumerate(words) if w in _PREPOSITIONS), len(words))
        return set(self.index.analyzer.terms(words[cut - 1 : cut])) if cut else set()

    def count(self, query: Query, fact: Fact) -> str:
        """The count a fact states, or the length of its list of what is counted."""
        best = self.counted_amount(query, fact)
        if best is not None:
            return f"{money(best)} ({best.of})."
        if fact.items and self.counts_items(query, fact):
            what = fact.items_of or "in all"
            return f"{len(fact.items)} {what}: {', '.join(fact.items)}."
        return self.counted_in_text(query, fact)

    def counted_in_text(self, query: Query, fact: Fact) -> str:
        """A count the fact's text gives right before what is counted: "two
        decommissioned naval vessels" for "how many ships?" ("" when none)."""
        counted = set(self.index.analyzer.terms(counted_words(query, self.index)))
        words = tokens(fact.summary)
        for i, word in enumerate(words):
            value = as_number(word) or 0
            if not 0 < value < 1000:
                continue
            after = words[i + 1 : i + 4]
            hits = [
                j
                for j, w in enumerate(after)
                if counted.intersection(self.index.analyzer.terms([w]))
            ]
            if hits:  # up to the last word of what is counted
                return f"{value} ({' '.join(words[i : i + hits[-1] + 2])})."
        return ""

    def counted_amount(self, query: Query, fact: Fact) -> Amount | None:
        """The count of the fact that is of what the question counts: it shares a word
        with "how many X" and names every country or body X names ("troops does Vietnam
        have" is not answered by a count of US service members)."""
        counts = [a for a in fact.amounts if a.unit not in CURRENCIES]
        words = counted_words(query, self.index)
        counted = set(self.index.analyzer.terms(words))
        named = self.index.linker.entity_ids(" ".join(words))
        asked = set(query.terms)

        def overlap(a: Amount) -> int:
            return len(asked & set(self.index.analyzer.terms(tokens(a.of))))

        if counted:
            counts = [
                a
                for a in counts
                if counted & set(self.index.analyzer.terms(tokens(a.of)))
                and named <= self.index.linker.entity_ids(a.of)
            ]
        return max(counts, key=overlap) if counts else None

    def counts_items(self, query: Query, fact: Fact) -> bool:
        """True when "how many X" asks for the number of the fact's list items: X is what
        the list is of ("how many scholarships" does not count "subjects of
        scholarships"). Counting the kinds of things in a list is no figure otherwise."""
        counted = set(self.index.analyzer.terms(counted_words(query, self.index)))
        return bool(counted & self._list_head(fact))

    def people(self, fact: Fact, query: Query) -> list[str]:
        """The people a fact names besides those asked about (else organisations)."""
        entities = self.index.kb.entities
        others = [a for a in fact.actors if a not in query.mentioned]
        people = [a for a in others if entities[a].type == "person"]
        chosen = people or [a for a in others if entities[a].type == "organisation"]
        return [self.name(a) for a in chosen]

    def card(self, entity: Entity, related: list[IndexedFact]) -> tuple[str, list[Fact]]:
        description = (
            entity.description_vi if self.vi and entity.description_vi else entity.description
        )
        head = f"{self.name(entity.id)}: {description}"
        for role in entity.roles:
            whose = role.org or role.country
            whose = f", {self.name(whose)}" if whose else ""
            since = f" ({self.date(role.as_of)})" if role.as_of else ""
            head += f"\n{self.say('role')}: {role.title}{whose}{since}."
        used: list[Fact] = []
        for item in related:
            line = (
                f"{self.say('see_also')}: {self.headline(item.fact)} ({self.date(item.fact.date)})."
            )
            if used and len(head) + len(line) > ANSWER_BUDGET - 20:
                break
            head += "\n" + line
            used.append(item.fact)
        return head, used

    def timeline(
        self, spans: Sequence[DateSpan], items: list[IndexedFact]
    ) -> tuple[str, list[Fact]]:
        header = self._timeline_header(spans)
        chosen = items
        lines = [self._line(i.fact) for i in chosen]
        if len("\n".join([header, *lines])) > TIMELINE_BUDGET:
            chosen = [i for i in items if i.fact.kind != "statement"] or items
            lines = [self._line(i.fact) for i in chosen]
        shown: list[str] = []
        for line in lines:
            if len("\n".join([header, *shown, line])) > TIMELINE_BUDGET - 60:
                break
            shown.append(line)
        hidden = len(items) - len(shown)
        text = "\n".join([header, *shown])
        if hidden:
            text += "\n" + self.say("timeline_more", count=hidden)
        return text, [i.fact for i in chosen[: len(shown)]]

    def _timeline_header(self, spans: Sequence[DateSpan]) -> str:
        if not spans:
            return self.say("timeline")
        when = ", ".join(self.date(s) for s in spans[:3])
        return self.say("timeline_on" if spans[0].precision == "day" else "timeline_in", when=when)

    def _line(self, fact: Fact) -> str:
        return f"• {self.date(fact.date)}: {self.headline(fact)}"
