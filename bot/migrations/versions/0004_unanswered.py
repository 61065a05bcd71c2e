"""Questions attache could not answer (question, language, day; no user), kept 90 days.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "unanswered",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("asked_on", sa.Date, nullable=False),
    )
    op.create_index("ix_unanswered_asked_on", "unanswered", ["asked_on"])


def downgrade() -> None:
    op.drop_index("ix_unanswered_asked_on", table_name="unanswered")
    op.drop_table("unanswered")
