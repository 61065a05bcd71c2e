"""Who held a post: the latest holder, or the holder at a date.

A role on a person may say when it was held (`from`/`to`) or only when a source
reported it (`as_of`). "Who is the Vietnamese defence minister?" wants the latest
holder; "who was it in 2015?" the one whose term covers 2015. Only people's own roles
count: a minister's counterpart in a meeting is never taken for the holder.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from bot.dates import DateSpan
from bot.knowledge import Entity, KnowledgeBase, Role

TERM = dt.timedelta(days=5 * 365)  # how long before a report a post is assumed held


def _latest(role: Role) -> tuple[bool, dt.date]:
    """Ordering key: a post still held (no `to`) comes after one that ended; then the
    latest date the source gives (end of term, start of term or date reported)."""
    if role.until is not None:
        return False, role.until.end
    known = [d.start for d in (role.since, role.as_of) if d is not None]
    return True, max(known, default=dt.date.min)


def _fit(role: Role, when: DateSpan) -> tuple[int, int] | None:
    """How well the role's dates fit `when`, higher is better; None when they rule it out.

    3: its term (or the date it was reported) covers `when`; 2: it was reported before
    (the latest report wins); 1: it was reported within one TERM after (the earliest
    wins: a minister reported in 2024 likely held the post in late 2021, not in 2015)."""
    if role.until is not None and role.until.end < when.start:
        return None
    if role.since is not None and role.since.start > when.end:
        return None
    if role.since is not None or (role.as_of is not None and role.as_of.overlaps(when)):
        return 3, _latest(role)[1].toordinal()
    if role.as_of is None or role.as_of.start <= when.end:
        return 2, _latest(role)[1].toordinal()
    if role.as_of.start <= when.end + TERM:
        return 1, -role.as_of.start.toordinal()
    return None


def _posts(
    kb: KnowledgeBase,
    role_ids: Iterable[str],
    country: str | None,
    org: str | None,
    among: Iterable[Entity] | None,
) -> Iterator[tuple[Entity, Role]]:
    """Each (entity, role) that is one of `role_ids` for `country` (any country when
    None), or, with `org`, any post in that organisation."""
    wanted = set(role_ids)
    for entity in kb.entities.values() if among is None else among:
        for role in entity.roles:
            if (role.org == org if org else role.role in wanted) and (
                country is None or role.country == country
            ):
                yield entity, role


def holders(
    kb: KnowledgeBase,
    role_ids: Iterable[str],
    country: str | None,
    when: DateSpan | None = None,
    org: str | None = None,
    among: Iterable[Entity] | None = None,
) -> list[str]:
    """Entity ids holding one of `role_ids` for `country` (any country when None), or,
    with `org`, any post in that organisation ("head of INDOPACOM"): the latest holder
    per country, or the one whose dates fit `when` best (see `_fit`). Several only on a
    tie. `among` narrows the search to those entities (the index's role holders, so
    that a stored base decodes no other entity)."""
    held: dict[str | None, list[tuple[tuple[Any, ...], str]]] = {}
    for entity, role in _posts(kb, role_ids, country, org, among):
        key: tuple[Any, ...] | None = _latest(role) if when is None else _fit(role, when)
        if key is not None:
            held.setdefault(role.country, []).append((key, entity.id))
    out: list[str] = []
    for found in held.values():
        best = max(key for key, _ in found)
        out += [e for key, e in found if key == best]
    return list(dict.fromkeys(out))


def every_holder(
    kb: KnowledgeBase,
    role_ids: Iterable[str],
    country: str | None,
    org: str | None = None,
    among: Iterable[Entity] | None = None,
) -> list[str]:
    """Everyone who ever held one of `role_ids` for `country` (or a post in `org`): a
    question that names the post without a date ("who did Vietnam's defence minister
    meet in Canada?") may be about any of them; the facts tell which."""
    return list(dict.fromkeys(e.id for e, _ in _posts(kb, role_ids, country, org, among)))
