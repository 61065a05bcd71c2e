"""Time between two things the fact base dates: "how many years between X and Y",
"how long after X did Y", "how long ago was X when Y" / "as of <date>".

Each side is looked up as a question of its own; the answer is computed from the two
facts' dates, never guessed when either side is not found."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.dates import DateSpan
from bot.text import as_number

_BETWEEN = re.compile(r"\bbetween (?P<a>.+?) and (?P<b>.+)$")
_AFTER = re.compile(r"\b(?:after|since) (?P<a>.+?) (?:did|was|were|had|has) (?P<b>.+)$")
_AGO = re.compile(
    r"\bago (?:was|were|did) (?P<a>.+?)(?: (?:when|as of|by|at the time)(?: (?P<b>.+))?)?$"
)


_RELATIVE = re.compile(
    r"\b(?:the )?(?P<n>\d+ |a |one |two |three )?"
    r"(?P<unit>day|days|week|weeks|month|months|year|years) "
    r"(?P<dir>before|after|prior to|following) (?P<x>.+)$"
)


# "two days after the visit began": counted from the first day of a multi-day anchor
_BEGINNING = re.compile(
    r"\b(?:beg[ia]n|begins|start|starts|started|kick(?:s|ed)? off|open(?:s|ed)?|arriv(?:e|es|ed)"
    r"|commenc(?:e|es|ed))\b"
)


@dataclass(frozen=True)
class Shift:
    """A date given relative to something the base dates: "the day after X"."""

    anchor: str  # the words naming X
    days: int  # signed: -1 for "the day before"
    bare: str = ""  # the anchor without the words saying it began ("the visit")
    months: int = 0  # signed, for "15 months after X" (then `days` is 0)

    @property
    def from_start(self) -> bool:
        """Counted from X's first day ("after it began"), not its last."""
        return bool(self.bare) and self.bare != self.anchor


def relative(words: list[str]) -> Shift | None:
    """ "the day before the expo opened", "two days after the statement was signed"."""
    spaced = " ".join(words)
    m = _RELATIVE.search(spaced)
    if m is None or not m["x"].strip() or spaced[: m.start()].endswith(("how many ", "how long ")):
        return None  # "how many years after X did Y" asks for the time between them
    stated = as_number((m["n"] or "").strip())
    count = 1 if stated is None else stated  # "a", "" and "one": 1
    unit = m["unit"].rstrip("s")
    days = count * {"day": 1, "week": 7}.get(unit, 0)
    months = count * {"month": 1, "year": 12}.get(unit, 0)  # a year after: that year
    anchor = m["x"].strip()
    sign = -1 if m["dir"] in ("before", "prior to") else 1
    bare = " ".join(_BEGINNING.sub(" ", anchor).split()) or anchor
    return Shift(anchor, sign * days, bare, sign * months)


@dataclass(frozen=True)
class Sides:
    """The two things a question measures the time between (`later` may be a date)."""

    earlier: str
    later: str | None


def split(words: list[str]) -> Sides | None:
    """The two sides of a "time between" question, if it is one."""
    spaced = " ".join(words)
    for pattern in (_BETWEEN, _AFTER, _AGO):
        m = pattern.search(spaced)
        if m and m["a"].strip():
            later = (m["b"] or "").strip() or None
            return Sides(m["a"].strip(), later)
    return None


def between(first: DateSpan, second: DateSpan) -> tuple[int, str]:
    """The whole years, else months, else days from `first` to `second` (either order)."""
    a, b = sorted((first.start, second.start))
    months = (b.year - a.year) * 12 + b.month - a.month - (b.day < a.day)
    if months >= 12:
        return months // 12, "year"
    if months >= 2:
        return months, "month"
    return (b - a).days, "day"


_FIRST = frozenset({"first", "earlier", "sooner", "truoc"})
_LAST = frozenset({"last", "later", "latest", "sau"})
_OR = frozenset({"or", "hay", "hoac"})
_FILLER = frozenset({"in", "on", "the", "a", "an", "with", "to", "was", "it"})


@dataclass(frozen=True)
class Choice:
    """ "Which came first, X or Y?": the two things, the rest of the question (who did
    what: "did Giang meet" in "who did Giang meet first, Teodoro or Chansamone") and
    whether the later one is asked for."""

    options: tuple[str, str]
    frame: str
    latest: bool


def choice(words: list[str]) -> Choice | None:
    """The two options of a "which first / which later, X or Y" question, if it is one."""
    ors = [i for i, w in enumerate(words) if w in _OR]
    cues = [i for i, w in enumerate(words) if w in _FIRST | _LAST]
    if len(ors) != 1 or not cues or cues[0] > ors[0]:
        return None
    cue, split_at = cues[0], ors[0]
    first = [w for w in words[cue + 1 : split_at] if w not in _FILLER]
    second = [w for w in words[split_at + 1 :] if w not in _FILLER | _FIRST | _LAST]
    if not first or not second:
        return None
    return Choice((" ".join(first), " ".join(second)), " ".join(words[:cue]), words[cue] in _LAST)
