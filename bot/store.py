"""Persistent state: events already answered and users' feedback.

SQLite by default, PostgreSQL (or anything SQLAlchemy speaks) by URL. Uniqueness is
enforced by the database, not in memory, so "answer each event once" holds across
restarts and across replicas sharing one database.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    insert,
    select,
    text,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

DEFAULT_URL = "sqlite:///attache.sqlite3"

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


class StoreError(Exception):
    """The database cannot be reached or used; the message says which URL."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Store:
    def __init__(self, url: str = DEFAULT_URL) -> None:
        self.url = url
        try:
            self.engine: Engine = create_engine(url, pool_pre_ping=True, future=True)
        except (SQLAlchemyError, ValueError, ImportError) as exc:
            raise StoreError(f"cannot use the database {url!r}: {exc}") from exc
        if self.engine.dialect.name == "sqlite":
            self._tune_sqlite()

    def _tune_sqlite(self) -> None:
        database = self.engine.url.database
        if database and database != ":memory:":
            Path(database).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)

        @event.listens_for(self.engine, "connect")
        def _pragmas(connection, _record) -> None:  # type: ignore[no-untyped-def]
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=5000")
            cursor.close()

    def create_schema(self) -> None:
        try:
            metadata.create_all(self.engine)
        except SQLAlchemyError as exc:
            raise StoreError(
                f"cannot set up the database {self.url!r}: {exc.__class__.__name__}"
            ) from exc

    def ping(self) -> bool:
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            return True
        except SQLAlchemyError:
            return False

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
