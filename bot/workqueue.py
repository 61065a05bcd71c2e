"""The durable work queue: a request is written here before it is acknowledged, and
stays until a worker has delivered its answer (or given up, saying why).

Claiming is atomic and safe across replicas: on PostgreSQL the next row is locked with
`SELECT ... FOR UPDATE SKIP LOCKED`; on SQLite, whose writes are serialised, one
`UPDATE ... WHERE status = 'queued'` decides. A claim is a lease: a row whose claimer
died (SIGKILL, a lost node) is taken over once `claimed_until` has passed.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Text,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from bot.store import Store, metadata, seen_events

work_queue = Table(
    "work_queue",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("dedupe_key", String(200), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),  # command | mention | dm
    Column("team_id", String(64)),
    Column("channel_id", String(64)),
    Column("user_id", String(64)),
    Column("thread_ts", String(32)),
    Column("payload", Text, nullable=False),  # JSON: the command or the event
    Column("response_url", Text),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("status", String(16), nullable=False),  # queued | claimed | delivered | failed
    Column("attempts", Integer, nullable=False),
    Column("progress", Integer, nullable=False),  # messages of the answer delivered
    Column("response_uses", Integer, nullable=False),  # posts made to response_url
    Column("claimed_by", String(64)),
    Column("claimed_until", DateTime(timezone=True)),
    Column("not_before", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("error", Text),
    Index("work_queue_status", "status", "id"),
)

FINISHED = ("delivered", "failed")


@dataclass(frozen=True)
class NewWork:
    """A request to answer, as accepted from Slack."""

    dedupe_key: str  # the same message or request delivered twice has the same key
    kind: str
    payload: dict[str, Any]
    team_id: str | None = None
    channel_id: str | None = None
    user_id: str | None = None
    thread_ts: str | None = None
    response_url: str | None = None


@dataclass(frozen=True)
class WorkItem:
    """A claimed row: what to answer, where, and how far delivery got before."""

    id: int
    kind: str
    payload: dict[str, Any]
    team_id: str | None
    channel_id: str | None
    user_id: str | None
    thread_ts: str | None
    response_url: str | None
    received_at: dt.datetime
    attempts: int
    progress: int
    response_uses: int


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


class WorkQueue:
    """The queue's operations on a Store's database."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def enqueue(self, work: NewWork, now: dt.datetime | None = None) -> bool:
        """Write `work` durably; False when the same key is already queued (a retry)."""
        now = now or _now()
        try:
            with self.store.engine.begin() as connection:
                connection.execute(
                    insert(work_queue).values(
                        dedupe_key=work.dedupe_key[:200],
                        kind=work.kind,
                        team_id=work.team_id,
                        channel_id=work.channel_id,
                        user_id=work.user_id,
                        thread_ts=work.thread_ts,
                        payload=json.dumps(work.payload, ensure_ascii=False),
                        response_url=work.response_url,
                        received_at=now,
                        status="queued",
                        attempts=0,
                        progress=0,
                        response_uses=0,
                        not_before=now,
                    )
                )
            return True
        except IntegrityError:
            return False

    def claim(
        self, owner: str, lease: dt.timedelta, now: dt.datetime | None = None
    ) -> WorkItem | None:
        """Take the oldest row that is queued, or whose claimer's lease ran out."""
        now = now or _now()
        q = work_queue.c
        claimable = (q.not_before <= now) & (
            (q.status == "queued") | ((q.status == "claimed") & (q.claimed_until < now))
        )
        oldest = (
            select(q.id)
            .where(claimable)
            .order_by(q.id)
            .limit(1)
            .with_for_update(skip_locked=True)
            .scalar_subquery()
        )
        with self.store.engine.begin() as connection:
            row = (
                connection.execute(
                    update(work_queue)
                    .where(q.id == oldest, claimable)
                    .values(
                        status="claimed",
                        claimed_by=owner,
                        claimed_until=now + lease,
                        attempts=q.attempts + 1,
                    )
                    .returning(*work_queue.c)
                )
                .mappings()
                .first()
            )
        if row is None:
            return None
        return WorkItem(
            id=row["id"],
            kind=row["kind"],
            payload=json.loads(row["payload"]),
            team_id=row["team_id"],
            channel_id=row["channel_id"],
            user_id=row["user_id"],
            thread_ts=row["thread_ts"],
            response_url=row["response_url"],
            received_at=_aware(row["received_at"]),
            attempts=row["attempts"],
            progress=row["progress"],
            response_uses=row["response_uses"],
        )

    def record_progress(
        self, item_id: int, owner: str, progress: int, response_uses: int, lease_until: dt.datetime
    ) -> None:
        """Remember how many messages went out (and renew the lease) after each post."""
        with self.store.engine.begin() as connection:
            connection.execute(
                update(work_queue)
                .where(work_queue.c.id == item_id, work_queue.c.claimed_by == owner)
                .values(progress=progress, response_uses=response_uses, claimed_until=lease_until)
            )

    def renew(self, item_id: int, owner: str, until: dt.datetime) -> None:
        """Extend the lease of a row still being worked on."""
        with self.store.engine.begin() as connection:
            connection.execute(
                update(work_queue)
                .where(
                    work_queue.c.id == item_id,
                    work_queue.c.claimed_by == owner,
                    work_queue.c.status == "claimed",
                )
                .values(claimed_until=until)
            )

    def claimers(self) -> list[str]:
        """The owners holding claimed rows now."""
        q = work_queue.c
        with self.store.engine.connect() as connection:
            found = connection.execute(
                select(q.claimed_by).where(q.status == "claimed").distinct()
            ).scalars()
            return [str(owner) for owner in found if owner]

    def expire(self, owner: str) -> int:
        """End the leases of every row `owner` holds (it is known to be gone)."""
        q = work_queue.c
        with self.store.engine.begin() as connection:
            result = connection.execute(
                update(work_queue)
                .where(q.claimed_by == owner, q.status == "claimed")
                .values(claimed_until=_now() - dt.timedelta(seconds=1))
            )
        return int(result.rowcount or 0)

    def finish(self, item_id: int, owner: str, status: str, error: str | None = None) -> None:
        """Mark a claimed row delivered or failed (for good)."""
        with self.store.engine.begin() as connection:
            connection.execute(
                update(work_queue)
                .where(work_queue.c.id == item_id, work_queue.c.claimed_by == owner)
                .values(status=status, error=error, finished_at=_now(), claimed_until=None)
            )

    def release(self, item_id: int, owner: str, not_before: dt.datetime, error: str) -> None:
        """Put a claimed row back in the queue, to be tried again after `not_before`."""
        with self.store.engine.begin() as connection:
            connection.execute(
                update(work_queue)
                .where(work_queue.c.id == item_id, work_queue.c.claimed_by == owner)
                .values(status="queued", not_before=not_before, error=error, claimed_until=None)
            )

    def depth(self, now: dt.datetime | None = None) -> tuple[int, float]:
        """How many rows are waiting or in hand, and the age in seconds of the oldest."""
        now = now or _now()
        q = work_queue.c
        with self.store.engine.connect() as connection:
            count, oldest = connection.execute(
                select(func.count(), func.min(q.received_at)).where(
                    q.status.in_(("queued", "claimed"))
                )
            ).one()
        age = (now - _aware(oldest)).total_seconds() if oldest else 0.0
        return int(count), max(age, 0.0)

    def rows(self) -> list[dict[str, Any]]:
        """Every row, oldest first (for tests and operators)."""
        with self.store.engine.connect() as connection:
            found = connection.execute(select(work_queue).order_by(work_queue.c.id)).mappings()
            return [dict(r) for r in found]

    def prune(self, older_than: dt.datetime) -> int:
        """Delete finished rows and handled-event keys older than `older_than`."""
        q = work_queue.c
        with self.store.engine.begin() as connection:
            done = connection.execute(
                delete(work_queue).where(
                    q.status.in_(FINISHED),
                    or_(q.finished_at < older_than, q.received_at < older_than),
                )
            ).rowcount
            seen = connection.execute(
                delete(seen_events).where(seen_events.c.seen_at < older_than)
            ).rowcount
        return int(done or 0) + int(seen or 0)
