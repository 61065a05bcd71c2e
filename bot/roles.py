"""Who held a post: the latest holder, or the holder at a date.

A role on a person may say when it was held (`from`/`to`) or only when a source
reported it (`as_of`). "Who is the Vietnamese defence minister?" wants the latest
holder; "who was it in 2015?" the one whose term covers 2015. Only people's own roles
count: a minister's counterpart in a meeting is never taken for the holder.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from bot.dates import DateSpan
from bot.knowledge import KnowledgeBase, Role


def _latest(role: Role) -> tuple[bool, dt.date]:
    """Ordering key: a post still held (no `to`) comes after one that ended; then the
    latest date the source gives (end of term, start of term or date reported)."""
    if role.until is not None:
        return False, role.until.end
    known = [d.start for d in (role.since, role.as_of) if d is not None]
    return True, max(known, default=dt.date.min)


def _possible(role: Role, when: DateSpan) -> bool:
    """False when the role's dates rule out `when`: it ended before, began after, or
    (dated only by a report) was reported only later."""
    if role.until is not None and role.until.end < when.start:
        return False
    if role.since is not None:
        return role.since.start <= when.end
    return role.as_of is None or role.as_of.start <= when.end


def holders(
    kb: KnowledgeBase, role_ids: Iterable[str], country: str | None, when: DateSpan | None = None
) -> list[str]:
    """Entity ids holding one of `role_ids` for `country` (any country when None): the
    latest holder per country, or at `when` the latest whose dates allow it (a holder
    known only from a later report is not assumed to have held it earlier). Several
    only on a tie."""
    wanted = set(role_ids)
    held: dict[str | None, list[tuple[tuple[bool, dt.date], str]]] = {}
    for entity in kb.entities.values():
        for role in entity.roles:
            if role.role not in wanted or (country is not None and role.country != country):
                continue
            if when is not None and not _possible(role, when):
                continue
            held.setdefault(role.country, []).append((_latest(role), entity.id))
    out: list[str] = []
    for found in held.values():
        best = max(key for key, _ in found)
        out += [e for key, e in found if key == best]
    return list(dict.fromkeys(out))
