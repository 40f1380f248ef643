"""The outbox's wake-up NOTIFY leaves the writing transaction (issue 9; why: `shared.migrations.OUTBOX_NOTIFY`).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""
from alembic import op

from shared.migrations import drop_outbox_notify, restore_outbox_notify

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    drop_outbox_notify(op)


def downgrade() -> None:
    restore_outbox_notify(op)
