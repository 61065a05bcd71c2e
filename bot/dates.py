"""Dates with their precision: reading them in questions and in the fact base.

A question's temporal expressions are located with patterns (English and Vietnamese,
folded); days, months and years are built from what the patterns read. Relative
expressions ("last month", "hôm qua") are read by one shared, lazily built
`dateparser` parser restricted to English, after Vietnamese forms are rewritten into
the English they mean, so only such a question pays for setting dateparser up. A date
typed without a year keeps `year_known=False`; the engine resolves it against the
years the fact base has, never against today.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Literal

from bot.text import fold

Precision = Literal["day", "month", "year", "range"]
PLACEHOLDER_YEAR = 2000  # a leap year, so "29 Feb" without a year still reads

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@dataclass(frozen=True)
class DateSpan:
    """An inclusive span of days and how precisely it was stated."""

    start: dt.date
    end: dt.date
    precision: Precision
    year_known: bool = True

    def overlaps(self, other: DateSpan) -> bool:
        return self.start <= other.end and other.start <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def in_year(self, year: int) -> DateSpan:
        """The same day or month in `year` (for spans typed without a year)."""
        last = calendar.monthrange(year, self.end.month)[1]
        start = _safe_date(year, self.start.month, self.start.day)
        end = _safe_date(year, self.end.month, min(self.end.day, last))
        return replace(self, start=start, end=end, year_known=True)

    def describe(self) -> str:
        """Human form: "18 December 2024", "December 2024", "6-11 September 2024"."""
        year = f" {self.start.year}" if self.year_known else ""
        s, e = self.start, self.end
        if self.precision == "year":
            return str(s.year)
        if self.precision == "month":
            return f"{MONTHS[s.month - 1]}{year}"
        if self.precision == "day" or s == e:
            return f"{s.day} {MONTHS[s.month - 1]}{year}"
        if (s.year, s.month) == (e.year, e.month):
            return f"{s.day}-{e.day} {MONTHS[s.month - 1]}{year}"
        if s.year == e.year:
            return f"{s.day} {MONTHS[s.month - 1]} - {e.day} {MONTHS[e.month - 1]}{year}"
        return f"{s.day} {MONTHS[s.month - 1]} {s.year} - {e.day} {MONTHS[e.month - 1]} {e.year}"


def _safe_date(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def day_span(day: dt.date) -> DateSpan:
    return DateSpan(day, day, "day")


def month_span(year: int, month: int, year_known: bool = True) -> DateSpan:
    last = calendar.monthrange(year, month)[1]
    return DateSpan(dt.date(year, month, 1), dt.date(year, month, last), "month", year_known)


def year_span(year: int) -> DateSpan:
    return DateSpan(dt.date(year, 1, 1), dt.date(year, 12, 31), "year")


# --- the fact base's date forms ------------------------------------------------------

_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")


def fact_date_form(span: DateSpan) -> Any:
    """A fact-base date as its YAML writes it (the inverse of `parse_fact_date`)."""
    start = span.start
    if span.precision == "year":
        return str(start.year)
    if span.precision == "month":
        return f"{start.year:04d}-{start.month:02d}"
    if span.precision == "range":
        return {"start": start.isoformat(), "end": span.end.isoformat()}
    return start.isoformat()


def parse_fact_date(value: Any) -> DateSpan:
    """Read a fact-base date: 2024-09-09 | 2024-09 | 2024 | {start: .., end: ..}."""
    if isinstance(value, dt.datetime):
        raise ValueError("a date, not a date and time, is expected")
    if isinstance(value, dt.date):
        return day_span(value)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, dict):
        if set(value) != {"start", "end"}:
            raise ValueError("a date range takes exactly `start` and `end`")
        start, end = parse_fact_date(value["start"]), parse_fact_date(value["end"])
        if start.precision != "day" or end.precision != "day":
            raise ValueError("a date range's start and end must be full dates (YYYY-MM-DD)")
        if end.start < start.start:
            raise ValueError("a date range ends before it starts")
        return DateSpan(start.start, end.end, "range")
    if isinstance(value, str):
        text = value.strip()
        if m := _YEAR_MONTH.match(text):
            year, month = int(m[1]), int(m[2])
            if not 1 <= month <= 12:
                raise ValueError(f"{text!r} has no month {month}")
            return month_span(year, month)
        if m := _YEAR.match(text):
            return year_span(int(m[1]))
        try:
            return day_span(dt.date.fromisoformat(text))
        except ValueError:
            pass
    raise ValueError(
        f"{value!r} is not a date: use YYYY-MM-DD, YYYY-MM, YYYY or {{start: YYYY-MM-DD, "
        "end: YYYY-MM-DD}"
    )


# --- reading dates in questions -------------------------------------------------------

_MONTH_WORDS = {
    "jan": 1,
    "january": 1,
    "feb": 2,
    "february": 2,
    "mar": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "may": 5,
    "jun": 6,
    "june": 6,
    "jul": 7,
    "july": 7,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "november": 11,
    "dec": 12,
    "december": 12,
}
_M = r"(?P<{}>" + "|".join(sorted(_MONTH_WORDS, key=len, reverse=True)) + r")\.?"
_ORD = r"(?:st|nd|rd|th)?"
_YR = r"(?P<{}>(?:19|20)\d\d)"


def _g(template: str, name: str) -> str:
    return template.format(name)


_DAY_MONTH = (
    rf"(?:the\s+)?(?P<d1>\d{{1,2}}){_ORD}\s+(?:of\s+)?{_g(_M, 'm1')}(?:,?\s+{_g(_YR, 'y1')})?"
)
_MONTH_DAY = rf"{_g(_M, 'm2')}\s+(?:the\s+)?(?P<d2>\d{{1,2}}){_ORD}(?!\d)(?:,?\s+{_g(_YR, 'y2')})?"
_NUMERIC = r"(?:ngay\s+)?(?P<n1>\d{1,2})[/.](?P<n2>\d{1,2})(?:[/.](?P<n3>\d{4}|\d{2}))?(?![\d/])"
_ISO = r"(?P<iy>(?:19|20)\d\d)-(?P<im>\d{1,2})-(?P<id>\d{1,2})"
_VI_DAY = r"ngay\s+(?P<vd>\d{1,2})\s+thang\s+(?P<vm>\d{1,2})(?:\s+nam\s+(?P<vy>(?:19|20)\d\d))?"
_VI_MONTH = r"thang\s+(?P<vm2>\d{1,2})(?:(?:\s+nam\s+|\s*/\s*)(?P<vy2>(?:19|20)\d\d))?"
_MONTH_YEAR = rf"(?:{_g(_M, 'm3')})(?:\s+(?:of\s+)?|,\s*){_g(_YR, 'y3')}"
_MONTH_ALONE = rf"(?:(?<=in\s)|(?<=during\s)|(?<=of\s)|(?<=since\s)){_g(_M, 'm4')}(?!\s*\d)"
_YEAR_ALONE = rf"(?:nam\s+)?{_g(_YR, 'y4')}(?![\d/-])"

_SINGLE = re.compile(
    "|".join(
        f"(?:{p})"
        for p in (_ISO, _VI_DAY, _NUMERIC, _DAY_MONTH, _MONTH_DAY, _MONTH_YEAR, _VI_MONTH)
    )
    + f"|(?:{_MONTH_ALONE})|(?:{_YEAR_ALONE})"
)
# "19-22 December 2024", "between 6 and 11 September 2024", "September 6-11, 2024"
_DAY_RANGE = re.compile(
    rf"(?P<a>\d{{1,2}}){_ORD}\s*(?:-|–|to|and|until|till|through|den)\s*(?P<b>\d{{1,2}}){_ORD}"
    rf"\s+(?:of\s+)?{_g(_M, 'm')}(?:,?\s+{_g(_YR, 'y')})?"
    rf"|{_g(_M, 'mm')}\s+(?P<aa>\d{{1,2}}){_ORD}\s*(?:-|–|to|and|until|till|through)\s*"
    rf"(?P<bb>\d{{1,2}}){_ORD}(?:,?\s+{_g(_YR, 'yy')})?"
)
_JOIN = re.compile(r"^\s*(?:-|–|to|and|until|till|through|den)\s*$")
_RANGE_OPENER = re.compile(r"(?:between|from|tu)\s*$")

_RELATIVE_VI = {
    "hom qua": "yesterday",
    "hom nay": "today",
    "tuan truoc": "last week",
    "tuan nay": "this week",
    "thang truoc": "last month",
    "thang nay": "this month",
    "nam ngoai": "last year",
    "nam truoc": "last year",
    "nam nay": "this year",
}
_RELATIVE = re.compile(
    r"\b(?:yesterday|today|tomorrow|(?:last|this|past|previous|next)\s+(?:week|month|year)"
    r"|(?:\d+|a|an|one|two|three|four|five|six|ten|twelve)\s+(?:days?|weeks?|months?|years?)\s+ago"
    r"|" + "|".join(_RELATIVE_VI) + r")\b"
)


@lru_cache(maxsize=8)
def _parser(today: dt.date | None = None) -> Any:
    """dateparser's parser, built once per base date: building one costs ~100 ms."""
    from dateparser.date import DateDataParser

    settings: dict[str, Any] = {"PREFER_DAY_OF_MONTH": "first", "DATE_ORDER": "DMY"}
    if today is not None:
        settings["RELATIVE_BASE"] = dt.datetime.combine(today, dt.time())
    return DateDataParser(languages=["en"], settings=settings)


def _read(text: str, today: dt.date | None = None) -> tuple[dt.date, str]:
    data = _parser(today).get_date_data(text)
    if data.date_obj is None:
        raise ValueError(f"not a date: {text!r}")
    return data.date_obj.date(), data.period or "day"


@dataclass(frozen=True)
class FoundDate:
    """A date found in a question, with where it was (in the folded text)."""

    span: DateSpan
    begin: int
    end: int
    other_reading: DateSpan | None = None  # "9/11": 11 September as well as 9 November


def _day(day: int, month: int, year: int | None) -> DateSpan:
    known = year is not None
    parsed = dt.date(year or PLACEHOLDER_YEAR, month, day)  # ValueError if there is none
    return DateSpan(parsed, parsed, "day", known)


def _month(month: int, year: int | None) -> DateSpan:
    parsed = dt.date(year or PLACEHOLDER_YEAR, month, 1)  # ValueError if no such month
    return month_span(parsed.year, parsed.month, year is not None)


def _from_match(m: re.Match[str]) -> DateSpan:
    g = m.groupdict()
    if g["iy"]:
        return _day(int(g["id"]), int(g["im"]), int(g["iy"]))
    if g["vd"]:
        return _day(int(g["vd"]), int(g["vm"]), int(g["vy"]) if g["vy"] else None)
    if g["n1"]:
        first, second = int(g["n1"]), int(g["n2"])
        day, month = (second, first) if second > 12 >= first else (first, second)
        year = g["n3"]
        if year and len(year) == 2:
            year = "20" + year
        return _day(day, month, int(year) if year else None)
    if g["d1"]:
        return _day(int(g["d1"]), _MONTH_WORDS[g["m1"]], int(g["y1"]) if g["y1"] else None)
    if g["d2"]:
        return _day(int(g["d2"]), _MONTH_WORDS[g["m2"]], int(g["y2"]) if g["y2"] else None)
    if g["m3"]:
        return _month(_MONTH_WORDS[g["m3"]], int(g["y3"]))
    if g["vm2"]:
        return _month(int(g["vm2"]), int(g["vy2"]) if g["vy2"] else None)
    if g["m4"]:
        return _month(_MONTH_WORDS[g["m4"]], None)
    return year_span(int(g["y4"]))


def _other_reading(m: re.Match[str]) -> DateSpan | None:
    """The second reading of an ambiguous date: "9/11" month first (US), "Dec 24" as
    December 2024 (a two-digit year, as Slack often has it)."""
    typed = m.group(0)  # no "the", no "th": "Dec the 24th" is a day
    two_digits = bool(m["d2"]) and not m["y2"] and len(m["d2"]) == 2 and int(m["d2"]) >= 10
    if two_digits and typed[-1].isdigit() and " the " not in typed:
        return _month(_MONTH_WORDS[m["m2"]], 2000 + int(m["d2"]))
    return _month_first(m)


def _month_first(m: re.Match[str]) -> DateSpan | None:
    """The month-first (US) reading of an ambiguous numeric date such as "9/11"."""
    if not m["n1"]:
        return None
    first, second = int(m["n1"]), int(m["n2"])
    if first == second or first > 12 or second > 12:
        return None
    year = m["n3"]
    if year and len(year) == 2:
        year = "20" + year
    try:
        return _day(second, first, int(year) if year else None)
    except ValueError:
        return None


def _relative(phrase: str, today: dt.date) -> DateSpan:
    english = _RELATIVE_VI.get(phrase, phrase)
    if english in ("past week", "last week", "previous week"):
        return DateSpan(today - dt.timedelta(days=7), today, "range")
    day, period = _read(english, today)
    if english.startswith(("this", "last", "past", "previous", "next")):
        period = english.split()[-1]
    if period == "month":
        return month_span(day.year, day.month)
    if period == "year":
        return year_span(day.year)
    if period == "week":
        monday = day - dt.timedelta(days=day.weekday())
        return DateSpan(monday, monday + dt.timedelta(days=6), "range")
    return day_span(day)


def find(text: str, today: dt.date | None = None) -> list[FoundDate]:
    """Every date, range and relative expression in `text`, in order."""
    folded = fold(text)
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    for m in _DAY_RANGE.finditer(folded):
        g = m.groupdict()
        a, b = (g["a"], g["b"]) if g["a"] else (g["aa"], g["bb"])
        month = _MONTH_WORDS[g["m"] or g["mm"]]
        year = g["y"] or g["yy"]
        try:
            first = _day(int(a), month, int(year) if year else None)
            last = _day(int(b), month, int(year) if year else None)
        except ValueError:
            continue
        if last.start < first.start:
            continue
        span = DateSpan(first.start, last.end, "range", first.year_known)
        found.append(FoundDate(span, m.start(), m.end()))
        taken.append((m.start(), m.end()))
    for m in _SEASON.finditer(folded):
        if free(m.start(), m.end()):
            found.append(FoundDate(_season(m), m.start(), m.end()))
            taken.append((m.start(), m.end()))
    for m in _SINGLE.finditer(folded):
        if not free(m.start(), m.end()):
            continue
        try:
            found.append(FoundDate(_from_match(m), m.start(), m.end(), _other_reading(m)))
        except (ValueError, KeyError, IndexError):
            continue
        taken.append((m.start(), m.end()))
    if today is not None:
        for m in _RELATIVE.finditer(folded):
            if free(m.start(), m.end()):
                try:
                    found.append(FoundDate(_relative(m.group(0), today), m.start(), m.end()))
                except ValueError:
                    continue
    found.sort(key=lambda f: f.begin)
    return [_narrowed(folded, f) for f in _merge_ranges(folded, found)]


# "early/mid/late December", "the second half of Dec 2024", "the week of 8 Sept 2024"
_PART = re.compile(
    r"(?P<part>first half|1st half|second half|2nd half|early|beginning|start|mid|middle"
    r"|late|end|dau|giua|cuoi|nua dau|nua cuoi)(?:\s+|-)(?:of\s+)?(?:(?:the\s+)?month\s+of\s+)?$"
)
_DEADLINE = re.compile(
    r"\b(?:before|by|until|till|prior to|through)\s+(?:the\s+)?\w+(?:\s+of)?\s*$"
)
_WEEK = re.compile(r"(?:the\s+)?week\s+(?:of|starting|beginning)\s+(?:the\s+)?$")
_PART_DAYS = {
    "first half": (1, 15),
    "1st half": (1, 15),
    "nua dau": (1, 15),
    "second half": (16, 31),
    "2nd half": (16, 31),
    "nua cuoi": (16, 31),
    "early": (1, 10),
    "beginning": (1, 10),
    "start": (1, 10),
    "dau": (1, 10),
    "mid": (11, 20),
    "middle": (11, 20),
    "giua": (11, 20),
    "late": (21, 31),
    "end": (21, 31),
    "cuoi": (21, 31),
}
# the same parts of a year, as months ("late 2018": September to December)
_PART_MONTHS = {
    **dict.fromkeys(("first half", "1st half", "nua dau"), (1, 6)),
    **dict.fromkeys(("second half", "2nd half", "nua cuoi"), (7, 12)),
    **dict.fromkeys(("early", "beginning", "start", "dau"), (1, 4)),
    **dict.fromkeys(("mid", "middle", "giua"), (5, 8)),
    **dict.fromkeys(("late", "end", "cuoi"), (9, 12)),
}
_SEASONS = {
    "spring": (3, 5),
    "summer": (6, 8),
    "autumn": (9, 11),
    "fall": (9, 11),
    "winter": (12, 14),
    "mua xuan": (3, 5),
    "mua he": (6, 8),
    "mua thu": (9, 11),
    "mua dong": (12, 14),
}
_SEASON = re.compile(
    r"\b(?P<season>" + "|".join(_SEASONS) + r")\s+(?:of\s+|nam\s+)?(?P<year>(?:19|20)\d\d)\b"
)


def _season(m: re.Match[str]) -> DateSpan:
    """A northern-hemisphere season; winter runs from December into the next year."""
    first, last = _SEASONS[m["season"]]
    year = int(m["year"])
    start = dt.date(year, first, 1)
    end_year, end_month = (year + 1, last - 12) if last > 12 else (year, last)
    end = dt.date(end_year, end_month, calendar.monthrange(end_year, end_month)[1])
    return DateSpan(start, end, "range")


def _narrowed(folded: str, found: FoundDate) -> FoundDate:
    """A month narrowed by "early", "late", "second half of"; a day widened by "week of"."""
    before = folded[max(0, found.begin - 30) : found.begin]
    span = found.span
    if span.precision == "month" and (m := _PART.search(before)):
        first, last = _PART_DAYS[m["part"]]
        end_day = min(last, span.end.day)
        narrowed = DateSpan(
            span.start.replace(day=first), span.end.replace(day=end_day), "range", span.year_known
        )
        return FoundDate(narrowed, found.begin - len(m.group(0)), found.end)
    deadline = _DEADLINE.search(before)  # "before the end of 2024" is the year, not its end
    if span.precision == "year" and not deadline and (m := _PART.search(before)):
        first_month, last_month = _PART_MONTHS[m["part"]]
        closing = month_span(span.start.year, last_month)
        narrowed = DateSpan(span.start.replace(month=first_month), closing.end, "range", True)
        return FoundDate(narrowed, found.begin - len(m.group(0)), found.end)
    if span.precision == "day" and (m := _WEEK.search(before)):
        week = DateSpan(span.start, span.start + dt.timedelta(days=6), "range", span.year_known)
        return FoundDate(week, found.begin - len(m.group(0)), found.end)
    return found


def _merge_ranges(folded: str, found: list[FoundDate]) -> list[FoundDate]:
    """Join "between X and Y" / "from X to Y" into one range."""
    merged: list[FoundDate] = []
    for item in found:
        prev = merged[-1] if merged else None
        if (
            prev is not None
            and _JOIN.match(folded[prev.end : item.begin])
            and (_RANGE_OPENER.search(folded[: prev.begin]) or "-" in folded[prev.end : item.begin])
            and prev.span.start <= item.span.end
        ):
            first, last = prev.span, item.span
            if not first.year_known and last.year_known:
                first = first.in_year(last.start.year)
            span = DateSpan(first.start, last.end, "range", first.year_known and last.year_known)
            merged[-1] = FoundDate(span, prev.begin, item.end)
            continue
        merged.append(item)
    return merged


# "on the 8th during his US trip": a day of a month the question leaves to the facts
# (not "on the 9th Moscow conference", where the next word makes it an ordinal)
_BARE_DAY = re.compile(
    r"\bon the (\d{1,2})(?:st|nd|rd|th)\b(?=\s*(?:$|[^\w\s]|(?:during|of|in|at|when|while"
    r"|before|after|and|or|for|with|to|as|from|that|this|last|next)\b))"
)


def bare_days(text: str) -> list[tuple[int, str]]:
    """Days of a month named without their month ("on the 8th"): (day, as typed)."""
    out = []
    for m in _BARE_DAY.finditer(fold(text)):
        day = int(m.group(1))
        if 1 <= day <= 31:
            out.append((day, m.group(0)[len("on the ") :]))
    return out
