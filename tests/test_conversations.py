"""Conversation context kept in the database between turns (DMs and threads)."""

import datetime as dt

from bot import conversations
from bot.store import Store


def test_context_is_kept_per_conversation_and_expires_after_a_day(tmp_path, engine):
    store = Store(f"sqlite:///{tmp_path / 'c.sqlite3'}")
    store.migrate()
    db = store.engine
    turn = engine.ask("who met the Lao defence minister?").context
    assert turn is not None
    dm = conversations.key_of("D1", None, direct=True)
    thread = conversations.key_of("C1", "1700000000.000100", direct=False)
    conversations.save(db, dm, turn)
    assert conversations.load(db, dm) == turn
    assert conversations.load(db, thread) is None  # another conversation knows nothing
    conversations.save(db, dm, engine.ask("who is Marc Knapper?").context)
    assert conversations.load(db, dm) != turn  # the latest turn replaces the previous
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=1, minutes=1)
    assert conversations.load(db, dm, now=later) is None
    conversations.save(db, thread, turn, now=later)  # saving prunes expired conversations
    with db.connect() as connection:
        keys = {row.key for row in connection.execute(conversations.conversations.select())}
    assert keys == {thread}
    conversations.save(db, thread, None)
    assert conversations.load(db, thread) is None
