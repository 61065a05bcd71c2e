"""Persistent state: events already answered, feedback, digest subscriptions and the
digest ledger.

SQLite by default, PostgreSQL by URL. Uniqueness is enforced by the database, not in
memory, so "answer each event once" and "one digest per channel per local day" hold
across restarts and across replicas sharing one database. The schema is managed by
Alembic (bot/migrations) and upgraded on start, keeping every row.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    create_engine,
    event,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, SQLAlchemyError

from bot.errors import AttacheError

DEFAULT_URL = "sqlite:///attache.sqlite3"
DEFAULT_TIMEOUT = 5.0  # seconds: connecting, and any one statement

metadata = MetaData()

seen_events = Table(
    "seen_events",
    metadata,
    Column("key", String(200), primary_key=True),  # Slack event_id, or channel:ts of a message
    Column("seen_at", DateTime(timezone=True), nullable=False),
)

feedback = Table(
    "feedback",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", String(64), nullable=False),
    Column("channel_id", String(64)),
    Column("question", Text, nullable=False),
    Column("fact_ids", Text, nullable=False),  # JSON list
    Column("vote", Integer, nullable=False),  # +1 or -1
    Column("created_at", DateTime(timezone=True), nullable=False),
)


subscriptions = Table(
    "subscriptions",
    metadata,
    Column("channel_id", String(64), primary_key=True),
    Column("post_time", String(5), nullable=False),  # HH:MM, local
    Column("timezone", String(64), nullable=False),  # IANA name, e.g. Asia/Ho_Chi_Minh
    Column("every_day", Boolean, nullable=False),  # post even when there is nothing new
    Column("active", Boolean, nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("ended_reason", Text),
)

digest_ledger = Table(
    "digest_ledger",
    metadata,
    Column("channel_id", String(64), nullable=False),
    Column("local_date", Date, nullable=False),
    Column("status", String(16), nullable=False),  # claimed | posted | empty | failed | abandoned
    Column("owner", String(64), nullable=False),  # the process that claimed it
    Column("claimed_at", DateTime(timezone=True), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("message_ts", String(32)),
    Column("error", Text),
    PrimaryKeyConstraint("channel_id", "local_date"),
)

DONE = ("posted", "empty", "abandoned")
LEASE = dt.timedelta(minutes=5)  # a claim not finished by then (the claimer died) may be taken over
RETRY_AFTER = dt.timedelta(minutes=1)  # a failed post is tried again after this


@dataclass(frozen=True)
class Subscription:
    channel_id: str
    post_time: str
    timezone: str
    every_day: bool
    active: bool
    created_by: str
    created_at: dt.datetime
    ended_reason: str | None = None


class StoreError(AttacheError):
    """The database cannot be reached or used; the message says which URL (password hidden)."""


def masked(url: str) -> str:
    """The database URL with its password replaced by ***, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return "<unparseable database URL>"


def reason(exc: BaseException) -> str:
    """A one-line cause of a database error, without SQL, parameters or the URL."""
    cause = getattr(exc, "orig", None) or exc
    first = (str(cause).strip().splitlines() or [""])[0][:200]
    return f"{cause.__class__.__name__}: {first}" if first else cause.__class__.__name__


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _connect_args(url: str, timeout: float) -> dict[str, object]:
    """Timeouts for each driver: connecting, statements, lock waits and dead peers."""
    name = make_url(url).get_backend_name()
    if name == "postgresql":
        millis = int(timeout * 1000)
        return {
            "connect_timeout": max(2, round(timeout)),
            "options": f"-c statement_timeout={millis} -c lock_timeout={millis}",
            "keepalives": 1,
            "keepalives_idle": 5,
            "keepalives_interval": 2,
            "keepalives_count": 2,
            "tcp_user_timeout": millis,
        }
    if name == "sqlite":
        return {"timeout": timeout}
    return {}


@functools.cache
def _head_revision() -> str | None:
    """The newest migration revision shipped with this code."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(Path(__file__).parent / "migrations")).get_current_head()


class Store:
    """The database: connections with timeouts, the schema, and the small tables."""

    def __init__(self, url: str = DEFAULT_URL, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.url = url
        self.timeout = timeout
        try:
            self.engine: Engine = create_engine(
                url,
                pool_pre_ping=True,
                pool_timeout=timeout,
                connect_args=_connect_args(url, timeout),
            )
        except (SQLAlchemyError, ValueError, ImportError) as exc:
            raise StoreError(f"cannot use the database {masked(url)}: {reason(exc)}") from exc
        if self.engine.dialect.name == "sqlite":
            self._tune_sqlite()

    @property
    def where(self) -> str:
        """The database URL with the password hidden."""
        return masked(self.url)

    def _tune_sqlite(self) -> None:
        database = self.engine.url.database
        if database and database != ":memory:":
            Path(database).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)

        @event.listens_for(self.engine, "connect")
        def _pragmas(connection, _record) -> None:  # type: ignore[no-untyped-def]
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={int(self.timeout * 1000)}")
            cursor.close()

    def migrate(self) -> None:
        """Create or upgrade the schema to the newest revision, keeping every row.

        A database created before migrations existed (it has the first tables but no
        alembic_version) is stamped at revision 0001 first. On PostgreSQL an advisory
        lock lets several replicas start at once."""
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
        try:
            with self.engine.begin() as connection:
                if connection.dialect.name == "postgresql":
                    connection.execute(text("SELECT pg_advisory_xact_lock(742519)"))
                config.attributes["connection"] = connection
                tables = inspect(connection)
                if not tables.has_table("alembic_version") and tables.has_table("seen_events"):
                    command.stamp(config, "0001")
                command.upgrade(config, "head")
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot set up the database {self.where}: {reason(exc)}") from exc

    def ping(self) -> bool:
        """True when the database answers a query."""
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            return True
        except SQLAlchemyError:
            return False

    def unready(self) -> str | None:
        """Why the database cannot take work (None when it can): it must answer, accept
        a write (rolled back) and be at the newest schema revision."""
        try:
            with self.engine.connect() as connection:
                current = connection.execute(
                    text("SELECT version_num FROM alembic_version")
                ).scalar()
                probe = f"readiness-probe-{uuid.uuid4().hex}"
                connection.execute(insert(seen_events).values(key=probe, seen_at=_now()))
                connection.rollback()
        except SQLAlchemyError as exc:
            return f"database: {reason(exc)}"
        head = _head_revision()
        if current != head:
            return f"database schema is at {current}, not {head}: restart to migrate"
        return None

    def claim(self, key: str) -> bool:
        """Record `key` as handled; False when it already was (here or on another replica)."""
        try:
            with self.engine.begin() as connection:
                connection.execute(insert(seen_events).values(key=key[:200], seen_at=_now()))
            return True
        except IntegrityError:
            return False

    def record_feedback(
        self, user_id: str, channel_id: str | None, question: str, fact_ids: list[str], vote: int
    ) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                insert(feedback).values(
                    user_id=user_id,
                    channel_id=channel_id,
                    question=question,
                    fact_ids=json.dumps(fact_ids),
                    vote=1 if vote > 0 else -1,
                    created_at=_now(),
                )
            )

    def feedback_rows(self) -> list[dict[str, object]]:
        with self.engine.connect() as connection:
            rows = connection.execute(select(feedback).order_by(feedback.c.id)).mappings().all()
        return [dict(r) | {"fact_ids": json.loads(str(r["fact_ids"]))} for r in rows]

    # --- digest subscriptions ----------------------------------------------------------

    def subscribe(
        self, channel_id: str, post_time: str, timezone: str, every_day: bool, user_id: str
    ) -> None:
        now = _now()
        values = {
            "post_time": post_time,
            "timezone": timezone,
            "every_day": every_day,
            "active": True,
            "created_by": user_id,
            "updated_at": now,
            "ended_reason": None,
        }
        with self.engine.begin() as connection:
            changed = connection.execute(
                update(subscriptions)
                .where(subscriptions.c.channel_id == channel_id)
                .values(**values)
            ).rowcount
            if not changed:
                connection.execute(
                    insert(subscriptions).values(channel_id=channel_id, created_at=now, **values)
                )

    def unsubscribe(self, channel_id: str, reason: str) -> bool:
        """Turn a channel's digest off; False when it had none."""
        with self.engine.begin() as connection:
            result = connection.execute(
                update(subscriptions)
                .where(subscriptions.c.channel_id == channel_id, subscriptions.c.active.is_(True))
                .values(active=False, ended_reason=reason, updated_at=_now())
            )
        return bool(result.rowcount)

    def subscription(self, channel_id: str) -> Subscription | None:
        with self.engine.connect() as connection:
            row = (
                connection.execute(
                    select(subscriptions).where(subscriptions.c.channel_id == channel_id)
                )
                .mappings()
                .first()
            )
        return _subscription(row) if row else None

    def active_subscriptions(self) -> list[Subscription]:
        with self.engine.connect() as connection:
            rows = (
                connection.execute(
                    select(subscriptions)
                    .where(subscriptions.c.active.is_(True))
                    .order_by(subscriptions.c.channel_id)
                )
                .mappings()
                .all()
            )
        return [_subscription(r) for r in rows]

    # --- digest ledger -----------------------------------------------------------------

    def digest_done(self, channel_id: str, day: dt.date) -> bool:
        with self.engine.connect() as connection:
            status = connection.execute(
                select(digest_ledger.c.status).where(
                    digest_ledger.c.channel_id == channel_id, digest_ledger.c.local_date == day
                )
            ).scalar()
        return status in DONE

    def claim_digest(
        self, channel_id: str, day: dt.date, owner: str, now: dt.datetime
    ) -> int | None:
        """Take the right to post `day`'s digest to a channel: the attempt number, or None
        when another process holds it or it is done. A unique key on (channel, local
        date) decides between replicas; a claim left unfinished past its lease, or a
        failed post past its retry delay, can be taken over."""
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    insert(digest_ledger).values(
                        channel_id=channel_id,
                        local_date=day,
                        status="claimed",
                        owner=owner,
                        claimed_at=now,
                        attempts=1,
                    )
                )
            return 1
        except IntegrityError:
            pass
        ledger = digest_ledger.c
        with self.engine.begin() as connection:
            taken = connection.execute(
                update(digest_ledger)
                .where(
                    ledger.channel_id == channel_id,
                    ledger.local_date == day,
                    ((ledger.status == "claimed") & (ledger.claimed_at < now - LEASE))
                    | ((ledger.status == "failed") & (ledger.claimed_at < now - RETRY_AFTER)),
                )
                .values(status="claimed", owner=owner, claimed_at=now, attempts=ledger.attempts + 1)
                .returning(ledger.attempts)
            ).scalar()
        return taken

    def finish_digest(
        self,
        channel_id: str,
        day: dt.date,
        status: str,
        message_ts: str | None = None,
        error: str | None = None,
    ) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                update(digest_ledger)
                .where(digest_ledger.c.channel_id == channel_id, digest_ledger.c.local_date == day)
                .values(status=status, message_ts=message_ts, error=error)
            )

    def last_posted(self, channel_id: str, before: dt.date) -> dt.date | None:
        with self.engine.connect() as connection:
            return connection.execute(
                select(digest_ledger.c.local_date)
                .where(
                    digest_ledger.c.channel_id == channel_id,
                    digest_ledger.c.status == "posted",
                    digest_ledger.c.local_date < before,
                )
                .order_by(digest_ledger.c.local_date.desc())
                .limit(1)
            ).scalar()

    def ledger(self, channel_id: str) -> list[dict[str, object]]:
        with self.engine.connect() as connection:
            rows = (
                connection.execute(
                    select(digest_ledger)
                    .where(digest_ledger.c.channel_id == channel_id)
                    .order_by(digest_ledger.c.local_date)
                )
                .mappings()
                .all()
            )
        return [dict(r) for r in rows]


def _subscription(row: object) -> Subscription:
    data = dict(row)  # type: ignore[call-overload]
    return Subscription(**{k: data[k] for k in Subscription.__dataclass_fields__ if k in data})
