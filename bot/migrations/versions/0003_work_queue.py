"""The durable work queue: every accepted command, mention and DM until it is answered.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "work_queue",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("dedupe_key", sa.String(200), nullable=False, unique=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("team_id", sa.String(64)),
        sa.Column("channel_id", sa.String(64)),
        sa.Column("user_id", sa.String(64)),
        sa.Column("thread_ts", sa.String(32)),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("response_url", sa.Text),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("progress", sa.Integer, nullable=False),
        sa.Column("response_uses", sa.Integer, nullable=False),
        sa.Column("claimed_by", sa.String(64)),
        sa.Column("claimed_until", sa.DateTime(timezone=True)),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("error", sa.Text),
    )
    op.create_index("work_queue_status", "work_queue", ["status", "id"])
    op.create_index("seen_events_seen_at", "seen_events", ["seen_at"])


def downgrade() -> None:
    op.drop_index("seen_events_seen_at", "seen_events")
    op.drop_index("work_queue_status", "work_queue")
    op.drop_table("work_queue")
