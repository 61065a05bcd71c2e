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
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from itertools import takewhile

from bot.compose import KIND_ORDER, TIMELINE_BUDGET, Wording, timeline_order
from bot.dates import MONTHS, DateSpan
from bot.index import Index, IndexedFact
from bot.knowledge import FACT_KINDS, Fact

CANDIDATE_CAP = 200  # facts ranked for one question at most (a few ms, first reads included)
FULL_TIMELINE = 200  # up to this many facts, a timeline is built fact by fact
SHOWN = 12  # facts listed under a summarised timeline
SMALL_SHARE = 16  # a pool under 1/16 of the base is handled fact by fact
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


def _order(index: Index, by_number: bool) -> Callable[[int], tuple[int, ...]]:
    t = index.tables
    starts, kinds, ranks = t.starts, t.kinds, t.id_ranks
    if by_number:
        return lambda n: (starts[n], n)
    return lambda n: (starts[n], _KIND_RANK[kinds[n]], ranks[n])


def earliest(
    index: Index,
    pool: set[int],
    k: int,
    skip_statements: bool,
    since: dt.date | None = None,
    by_number: bool = False,
) -> list[int]:
    """The first `k` facts of `pool` in timeline order (by day, kind, id; with
    `by_number`, by day then fact number): a small pool is sorted by first day; a large
    one is found by walking the facts in order of their first day (from `since`, when no
    fact of the pool starts earlier, less the longest event), a block at a time, never
    sorting it."""
    t = index.tables
    kinds, starts, order = t.kinds, t.starts, t.start_order
    first = 0 if since is None else bisect_left(t.start_days, since.toordinal() - t.longest_days)
    if len(pool) * SMALL_SHARE < len(starts):
        chosen = [n for n in pool if not (skip_statements and kinds[n] == _STATEMENT)]
        chosen.sort(key=starts.__getitem__)
        found = chosen[:k]
        found += takewhile(lambda n: starts[n] == starts[found[-1]], chosen[k:]) if found else []
    else:
        found = []
        for begin in range(first, len(order), 4096):
            block = order[begin : begin + 4096]
            found += [
                n for n in block if n in pool and not (skip_statements and kinds[n] == _STATEMENT)
            ]
            if len(found) >= k and starts[found[-1]] > starts[found[k - 1]]:
                break  # the k-th and every fact on its day are in
        horizon = starts[found[k - 1]] if len(found) >= k else None
        for year in sorted(t.by_year):
            if horizon is not None and dt.date(year, 1, 1).toordinal() > horizon:
                break
            found += [
                n
                for n in t.by_year[year]
                if n in pool and not (skip_statements and kinds[n] == _STATEMENT)
            ]
    return sorted(found, key=_order(index, by_number))[:k]


def card_facts(index: Index, entity_id: str, k: int) -> list[IndexedFact]:
    """The facts an entity's card shows, at most `k`: those it takes part in before
    those that only name it, other kinds before statements, each earliest first (ties by
    fact number)."""
    acting = set(index.actor_postings.get(entity_id, ()))
    naming = set(index.entity_postings.get(entity_id, ())) - acting
    chosen: list[int] = []
    for pool in (acting, naming):
        for skip_statements in (True, False):
            if len(chosen) < k:
                rest = pool.difference(chosen)
                chosen += earliest(index, rest, k - len(chosen), skip_statements, by_number=True)
    return [index.facts[n] for n in chosen]


def timeline(
    say: Wording, spans: Sequence[DateSpan], index: Index, pool: set[int]
) -> tuple[str, list[Fact]]:
    """The timeline of `pool`: every fact when few, else counts per year (or month) and
    the first few facts, with a pointer to ask about a shorter period."""
    if len(pool) <= FULL_TIMELINE:
        items = sorted((index.facts[n] for n in pool), key=timeline_order)
        return say.timeline(spans, items)
    since = min((s.start for s in spans), default=None)
    shown = earliest(index, pool, SHOWN, True, since) or earliest(index, pool, SHOWN, False, since)
    shown_items = [index.facts[n] for n in shown]
    when = ", ".join(say.date(s) for s in spans[:3])
    count = f"{len(pool):,}"
    if when:
        head = say.say("timeline_count_in", when=when, count=count)
    else:
        head = say.say("timeline_count", count=count)
    head += "\n" + _counts(index, pool, spans, say)
    lines: list[str] = []
    used: list[Fact] = []
    for item in shown_items:
        line = f"• {say.date(item.fact.date)}: {say.headline(item.fact)}"
        if len("\n".join([head, *lines, line])) > TIMELINE_BUDGET - 90:
            break
        lines.append(line)
        used.append(item.fact)
    hidden = len(pool) - len(used)
    more = say.say("timeline_summary_more", count=f"{hidden:,}")
    return "\n".join([head, *lines, more]), used


def _counts(index: Index, pool: set[int], spans: Sequence[DateSpan], say: Wording) -> str:
    """Counts per period: "By year: 1995 (2,870), 1996 (2,901), …", or by month within
    one or two years. A small pool is counted fact by fact; a large one by intersecting
    it with the facts starting in each period (in C), over the years of `spans` when
    there are some (and the year before, for events that began then)."""
    first, last = index.first_day.year, index.last_day.year
    if spans:
        first = max(first, min(s.start.year for s in spans) - 1)
        last = min(last, max(s.end.year for s in spans))
    years = _period_counts(index, pool, [dt.date(y, 1, 1) for y in range(first, last + 2)])
    active = [y for y, count in zip(range(first, last + 1), years, strict=False) if count]
    if len(active) > 2:
        parts = [f"{y} ({years[y - first]:,})" for y in active]
        label = say.say("timeline_by_year")
    else:
        months = [dt.date(y, m, 1) for y in active for m in range(1, 13)]
        months.append(dt.date(active[-1] + 1, 1, 1))
        counts = _period_counts(index, pool, months)
        parts = [f"{_month(d, say.vi)} ({c:,})" for d, c in zip(months, counts, strict=False) if c]
        label = say.say("timeline_by_month")
    return f"{label}: {', '.join(parts)}."


def _month(day: dt.date, vi: bool) -> str:
    """ "Dec 2024", or "12/2024" in Vietnamese."""
    return f"{day.month}/{day.year}" if vi else f"{MONTHS[day.month - 1][:3]} {day.year}"


def _period_counts(index: Index, pool: set[int], bounds: list[dt.date]) -> list[int]:
    """How many facts of `pool` start in each period [bounds[i], bounds[i + 1])."""
    t = index.tables
    edges = [d.toordinal() for d in bounds]
    counts = [0] * (len(edges) - 1)
    if len(pool) * SMALL_SHARE < len(t.starts):
        for n in pool:
            i = bisect_right(edges, t.starts[n]) - 1
            if 0 <= i < len(counts):
                counts[i] += 1
        return counts
    for i in range(len(counts)):
        lo = bisect_left(t.start_days, edges[i])
        hi = bisect_left(t.start_days, edges[i + 1])
        counts[i] = len(pool.intersection(t.start_order[lo:hi]))
        if bounds[i].month == 1:
            counts[i] += len(pool.intersection(t.by_year.get(bounds[i].year, ())))
    return counts
