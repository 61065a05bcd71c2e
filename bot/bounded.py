"""Bounded work per question, whatever the size of the fact base.

A question that matches most of a large base ("what happened between 1995 and 2030?",
"what did they say?", "who is Vietnam?") must not sort, decode and format every
fact it matches. These helpers work on the index's integer columns and pick only
what an answer shows: a cap on the candidates a generic question ranks, the best
facts by top-k selection instead of a full sort, and timelines over long periods
summarised per year or month with counts.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from bot.compose import KIND_ORDER, TIMELINE_BUDGET, Wording, timeline_order
from bot.dates import MONTHS, DateSpan
from bot.index import Index, IndexedFact
from bot.knowledge import FACT_KINDS, Fact

CANDIDATE_CAP = 2000  # facts ranked for one question at most (the most recent)
FULL_TIMELINE = 200  # up to this many facts, a timeline is built fact by fact
SHOWN = 12  # facts listed under a summarised timeline
_STATEMENT = FACT_KINDS.index("statement")
_KIND_RANK = [KIND_ORDER[k] for k in FACT_KINDS]


def cap(index: Index, candidates: set[int], limit: int = CANDIDATE_CAP) -> set[int]:
    """`candidates`, or the `limit` most recent of them when there are more."""
    if len(candidates) <= limit:
        return candidates
    starts = index.tables.starts
    return set(heapq.nlargest(limit, candidates, key=starts.__getitem__))


def involving(index: Index, pool: set[int], group: frozenset[str]) -> set[int]:
    """The facts of `pool` that any entity of `group` takes part in or is named by."""
    linked: set[int] = set()
    for entity in group:
        linked.update(index.entity_postings.get(entity, ()))
    return pool & linked


def _order(index: Index) -> Callable[[int], tuple[int, int, int]]:
    t = index.tables
    starts, kinds, ranks = t.starts, t.kinds, t.id_ranks
    return lambda n: (starts[n], _KIND_RANK[kinds[n]], ranks[n])


def earliest(index: Index, pool: Iterable[int], k: int) -> list[IndexedFact]:
    """The first `k` facts of `pool` in timeline order (by day, kind, id)."""
    return [index.facts[n] for n in heapq.nsmallest(k, pool, key=_order(index))]


def card_facts(index: Index, entity_id: str) -> list[IndexedFact]:
    """The fact to show on an entity's card: the earliest the entity takes part in that
    is not a statement, else its earliest statement, else the earliest naming it."""
    kinds, starts = index.tables.kinds, index.tables.starts
    acting = index.actor_postings.get(entity_id, ())
    for pool in (
        [n for n in acting if kinds[n] != _STATEMENT],
        acting,
        index.entity_postings.get(entity_id, ()),
    ):
        if pool:
            best = min(pool, key=lambda n: (kinds[n] == _STATEMENT, starts[n], n))
            return [index.facts[best]]
    return []


def timeline(
    say: Wording, spans: Sequence[DateSpan], index: Index, pool: set[int]
) -> tuple[str, list[Fact]]:
    """The timeline of `pool`: every fact when few, else counts per year (or month) and
    the first few facts, with a pointer to ask about a shorter period."""
    if len(pool) <= FULL_TIMELINE:
        items = sorted((index.facts[n] for n in pool), key=timeline_order)
        return say.timeline(spans, items)
    kinds = index.tables.kinds
    events = [n for n in pool if kinds[n] != _STATEMENT] or list(pool)
    shown_items = earliest(index, events, SHOWN)
    when = ", ".join(say.date(s) for s in spans[:3])
    counts = _counts(index, pool, say.vi)
    if say.vi:
        head = f"Các sự kiện {when}: {len(pool):,} mục." if when else f"{len(pool):,} mục."
        head += f"\n{counts}"
    else:
        head = f"In {when}: {len(pool):,} facts." if when else f"{len(pool):,} facts."
        head += f"\n{counts}"
    lines: list[str] = []
    used: list[Fact] = []
    for item in shown_items:
        line = f"• {say.date(item.fact.date)}: {item.fact.headline}"
        if len("\n".join([head, *lines, line])) > TIMELINE_BUDGET - 90:
            break
        lines.append(line)
        used.append(item.fact)
    hidden = len(pool) - len(used)
    more = (
        f"…và {hidden:,} mục khác: hãy hỏi về một năm hoặc một tháng."
        if say.vi
        else f"…and {hidden:,} more: ask about a single year or month to see them."
    )
    return "\n".join([head, *lines, more]), used


def _counts(index: Index, pool: set[int], vi: bool) -> str:
    """ "By year: 1995 (2,870), 1996 (2,901), …", or by month within one or two years."""
    starts = index.tables.starts
    by_day = Counter(starts[n] for n in pool)
    days = {d: dt.date.fromordinal(d) for d in by_day}
    years = Counter[int]()
    for d, count in by_day.items():
        years[days[d].year] += count
    if len(years) > 2:
        parts = [f"{y} ({years[y]:,})" for y in sorted(years)]
        label = "Theo năm" if vi else "By year"
    else:
        months = Counter[tuple[int, int]]()
        for d, count in by_day.items():
            months[(days[d].year, days[d].month)] += count
        parts = [f"{MONTHS[m - 1][:3]} {y} ({months[(y, m)]:,})" for y, m in sorted(months)]
        label = "Theo tháng" if vi else "By month"
    return f"{label}: {', '.join(parts)}."
