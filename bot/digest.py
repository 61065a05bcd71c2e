"""What a channel's daily digest says, and when it is due.

Three sections, every item cited: "On this day" (facts on the same day of the year in
earlier years), "New in the fact base" (facts from sources added since the channel's
previous digest) and "Coming up" (facts dated in the next seven days, such as an
announced visit). A digest is due once the channel's local time reaches its posting
time, and only for the current local day: a digest missed while the bot was down is
posted late the same day, never for a day already over.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.answer import Citation
from bot.compose import KIND_ORDER
from bot.dates import DateSpan
from bot.engine import Engine
from bot.knowledge import Fact

COMING_UP_DAYS = 7
SECTION_LIMIT = 8  # items shown per section; the rest are counted
DEFAULT_TIME = "08:00"
_TIME = re.compile(r"^([01]?\d|2[0-3])[:h.]([0-5]\d)$")


@dataclass(frozen=True)
class Item:
    fact: Fact
    citation: Citation

    def line(self) -> str:
        c = self.citation
        return f"• {self.fact.date.describe()}: {self.fact.headline} ({c.publisher}, {c.published})"


@dataclass(frozen=True)
class Digest:
    day: dt.date
    on_this_day: tuple[Item, ...]
    new: tuple[Item, ...]
    coming_up: tuple[Item, ...]

    @property
    def empty(self) -> bool:
        return not (self.on_this_day or self.new or self.coming_up)

    @property
    def title(self) -> str:
        return f"attache daily digest, {self.day.strftime('%A')} {self.day.day} {self.day.strftime('%B %Y')}"

    def sections(self) -> list[tuple[str, list[str]]]:
        """(heading, lines) for each non-empty section, long ones cut with a count."""
        out = []
        for heading, items in (
            ("On this day", self.on_this_day),
            ("New in the fact base", self.new),
            ("Coming up", self.coming_up),
        ):
            if items:
                lines = [i.line() for i in items[:SECTION_LIMIT]]
                if len(items) > SECTION_LIMIT:
                    lines.append(f"…and {len(items) - SECTION_LIMIT} more")
                out.append((heading, lines))
        return out

    def text(self) -> str:
        if self.empty:
            return (
                f"{self.title}\nNothing new today: no anniversaries, new sources or coming events."
            )
        parts = [self.title]
        for heading, lines in self.sections():
            parts += ["", f"{heading}:", *lines]
        return "\n".join(parts)


def compose(engine: Engine, day: dt.date, since: dt.date | None = None) -> Digest:
    """The digest for `day`; "new" means sources added after `since` (default: the day before)."""
    kb, index = engine.kb, engine.index
    since = since or day - dt.timedelta(days=1)

    def item(fact: Fact) -> Item:
        return Item(fact, Citation.of(kb.sources[fact.source]))

    earlier = sorted(y for y in index.day_years.get((day.month, day.day), ()) if y < day.year)
    anniversaries: dict[str, Fact] = {}
    for year in earlier:
        on = dt.date(year, day.month, day.day)
        for n in index.overlapping(DateSpan(on, on, "day")):
            fact = index.facts[n].fact
            if fact.date.precision in ("day", "range"):
                anniversaries.setdefault(fact.id, fact)
    new_sources = {s.id for s in kb.sources.values() if since < s.added <= day}
    horizon = day + dt.timedelta(days=COMING_UP_DAYS)
    ordered = sorted(kb.facts, key=_order)
    return Digest(
        day=day,
        on_this_day=tuple(item(f) for f in sorted(anniversaries.values(), key=_order)),
        new=tuple(item(f) for f in ordered if f.source in new_sources),
        coming_up=tuple(
            item(f)
            for f in ordered
            if day < f.date.start <= horizon and (f.status == "announced" or f.kind != "statement")
        ),
    )


def _order(fact: Fact) -> tuple[object, ...]:
    return (fact.date.start, KIND_ORDER[fact.kind], fact.id)


# --- when a digest is due --------------------------------------------------------------


def parse_time(text: str) -> str | None:
    """ "8:00", "08:00", "8h00" -> "08:00"; None when it is not a time of day."""
    match = _TIME.match(text.strip())
    return f"{int(match[1]):02d}:{match[2]}" if match else None


def zone(name: str) -> ZoneInfo | None:
    """The IANA time zone called `name` ("Asia/Ho_Chi_Minh"), or None."""
    if not name or name.startswith(("/", ".")) or ".." in name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # tzdata: "Asia" is a folder
        return None


def local_day(post_time: str, timezone: str, now: dt.datetime) -> tuple[dt.date, bool]:
    """The channel's current local date, and whether its digest for that date is due.

    A posting time that does not exist on a daylight-saving day (02:30 when clocks jump
    from 02:00 to 03:00) is reached at the jump; one that happens twice is due at the
    first; the ledger keeps the second from posting again."""
    local = now.astimezone(ZoneInfo(timezone))
    hour, minute = (int(p) for p in post_time.split(":"))
    return local.date(), (local.hour, local.minute) >= (hour, minute)


def first_post(post_time: str, timezone: str, now: dt.datetime) -> str:
    """ "today" or "tomorrow": when a subscription made `now` first posts."""
    _, due = local_day(post_time, timezone, now)
    return "tomorrow" if due else "today"
