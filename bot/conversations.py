"""Where a Slack conversation's context lives between turns, so follow-ups work.

One row per conversation: a direct message channel, or a thread where attache
answered. The key never spans two conversations, so context never leaks across
channels, threads or people's DMs; a context older than a day is treated as gone and
pruned when the next one is saved.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, DateTime, String, Table, Text, delete, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from bot.conversation import LIFETIME, Context
from bot.store import metadata

conversations = Table(
    "conversations",
    metadata,
    Column("key", String(200), primary_key=True),  # dm:<channel> or thread:<channel>:<ts>
    Column("context", Text, nullable=False),  # Context.to_json()
    Column("updated_at", DateTime(timezone=True), nullable=False, index=True),
)


def key_of(channel: str, thread_ts: str | None, direct: bool) -> str:
    """The conversation a message belongs to: the whole DM, else the thread."""
    return f"dm:{channel}" if direct else f"thread:{channel}:{thread_ts}"


def load(db: Engine, key: str, now: dt.datetime | None = None) -> Context | None:
    """The previous turn's context in this conversation, if it is less than a day old."""
    with db.connect() as connection:
        text = connection.execute(
            select(conversations.c.context).where(conversations.c.key == key)
        ).scalar()
    if text is None:
        return None
    try:
        context = Context.from_json(text)
    except ValueError:
        return None
    return None if context.expired(now) else context


def save(db: Engine, key: str, context: Context | None, now: dt.datetime | None = None) -> None:
    """Keep `context` as this conversation's latest turn (None forgets it), and drop
    contexts that have expired."""
    moment = now or dt.datetime.now(dt.UTC)
    with db.begin() as connection:
        connection.execute(
            delete(conversations).where(conversations.c.updated_at < moment - LIFETIME)
        )
        if context is None:
            connection.execute(delete(conversations).where(conversations.c.key == key))
            return
        values = {"context": context.to_json(), "updated_at": moment}
        changed = connection.execute(
            update(conversations).where(conversations.c.key == key).values(**values)
        ).rowcount
    if changed:
        return
    try:
        with db.begin() as connection:
            connection.execute(insert(conversations).values(key=key, **values))
    except IntegrityError:  # another worker started this conversation a moment ago
        with db.begin() as connection:
            connection.execute(
                update(conversations).where(conversations.c.key == key).values(**values)
            )
