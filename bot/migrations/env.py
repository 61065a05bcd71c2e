"""Alembic environment: migrations run on the connection `bot.store.Store.migrate` passes."""

from alembic import context

from bot.store import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
