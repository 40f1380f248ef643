"""Platform tables and the first registration table.

Revision ID: 0001
Revises:
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from shared.migrations import create_platform_tables, drop_platform_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_platform_tables(op)
    op.create_table(
        "pendaftaran",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("jenis", sa.String(20), nullable=False, index=True),
        sa.Column("status", sa.String(20), nullable=False, index=True),
        sa.Column("nama", sa.String(200), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("npwp", sa.String(16), index=True),
        sa.Column("nib", sa.String(13), index=True),
        sa.Column("nip", sa.String(18)),
        sa.Column("berlaku_sampai", sa.Date),
        sa.Column("data", postgresql.JSONB, nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("versi", sa.Integer, nullable=False, server_default="1"),
        sa.Column("diajukan_pada", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("diperbarui_pada", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("catatan", sa.Text),
    )


def downgrade() -> None:
    op.drop_table("pendaftaran")
    drop_platform_tables(op)
