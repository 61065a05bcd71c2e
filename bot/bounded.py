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
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Sequence

from bot.compose import KIND_ORDER, TIMELINE_BUDGET, Wording, timeline_order
from bot.dates import MONTHS, DateSpan
from bot.index import Index, IndexedFact
from bot.knowledge import FACT_KINDS, Fact

CANDIDATE_CAP = 500  # facts ranked for one question at most (about 6 ms of ranking)
FULL_TIMELINE = 200  # up to this many facts, a timeline is built fact by fact
SHOWN = 12  # facts listed under a summarised timeline
_STATEMENT = FACT_KINDS.index("statement")
_KIND_RANK = [KIND_ORDER[k] for k in FACT_KINDS]


def cap(index: Index, candidates: set[int], limit: int = CANDIDATE_CAP) -> set[int]:
    """`candidates`, or the last `limit` of them in the fact base's order (newest files
    last) when there are more: a generic question ranks a bounded number of facts."""
    if len(candidates) <= limit:
        return candidates
    return set(sorted(candidates)[-limit:])


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


def earliest(index: Index, pool: set[int], k: int, skip_statements: bool) -> list[int]:
    """The first `k` facts of `pool` in timeline order (by day, kind, id), found by
    walking the facts in order of their first day rather than sorting the pool."""
    t = index.tables
    kinds = t.kinds

    def wanted(n: int) -> bool:
        return n in pool and not (skip_statements and kinds[n] == _STATEMENT)

    found: list[int] = []
    for n in t.start_order:
        if wanted(n):
            found.append(n)
            if len(found) >= k:
                break
    horizon = t.starts[found[-1]] if len(found) >= k else None
    for year in sorted(t.by_year):
        if horizon is not None and dt.date(year, 1, 1).toordinal() > horizon:
            break
        found += [n for n in t.by_year[year] if wanted(n)]
    return sorted(found, key=_order(index))[:k]


def card_facts(index: Index, entity_id: str) -> list[IndexedFact]:
    """The fact to show on an entity's card: the earliest the entity takes part in that
    is not a statement, else its earliest statement, else the earliest naming it."""
    kinds, starts = index.tables.kinds, index.tables.starts
    acting = index.actor_postings.get(entity_id, ())
    for pool, skip in (
        (acting, True),
        (acting, False),
        (index.entity_postings.get(entity_id, ()), False),
    ):
        if len(pool) > FULL_TIMELINE:
            best = earliest(index, set(pool), 1, skip)
            if best:
                return [index.facts[best[0]]]
            continue
        chosen = [n for n in pool if not (skip and kinds[n] == _STATEMENT)]
        if chosen:
            best_n = min(chosen, key=lambda n: (starts[n], n))
            return [index.facts[best_n]]
    return []


def timeline(
    say: Wording, spans: Sequence[DateSpan], index: Index, pool: set[int]
) -> tuple[str, list[Fact]]:
    """The timeline of `pool`: every fact when few, else counts per year (or month) and
    the first few facts, with a pointer to ask about a shorter period."""
    if len(pool) <= FULL_TIMELINE:
        items = sorted((index.facts[n] for n in pool), key=timeline_order)
        return say.timeline(spans, items)
    shown = earliest(index, pool, SHOWN, True) or earliest(index, pool, SHOWN, False)
    shown_items = [index.facts[n] for n in shown]
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
    """ "By year: 1995 (2,870), 1996 (2,901), …", or by month within one or two years.

    Counted per period by intersecting the pool with the facts starting in it (in C),
    not fact by fact."""
    t = index.tables
    years = range(index.first_day.year, index.last_day.year + 1)
    periods = [(y, m) for y in years for m in range(1, 13)]
    counts = Counter[tuple[int, int]]()
    for y, m in periods:
        lo = bisect_left(t.start_days, dt.date(y, m, 1).toordinal())
        hi = bisect_left(t.start_days, dt.date(y + m // 12, m % 12 + 1, 1).toordinal())
        if hi > lo:
            counts[(y, m)] = len(pool.intersection(t.start_order[lo:hi]))
    for y in years:
        counts[(y, 1)] += len(pool.intersection(t.by_year.get(y, ())))
    by_year = Counter[int]()
    for (y, _), count in counts.items():
        by_year[y] += count
    active = sorted(y for y, c in by_year.items() if c)
    if len(active) > 2:
        parts = [f"{y} ({by_year[y]:,})" for y in active]
        label = "Theo năm" if vi else "By year"
    else:
        months = sorted(p for p, c in counts.items() if c)
        parts = [f"{MONTHS[m - 1][:3]} {y} ({counts[(y, m)]:,})" for y, m in months]
        label = "Theo tháng" if vi else "By month"
    return f"{label}: {', '.join(parts)}."
