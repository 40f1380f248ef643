"""Platform tables and the registration read model.

Revision ID: 0001
Revises:
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

from shared.migrations import create_platform_tables, drop_platform_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_platform_tables(op)
    op.create_table(
        "rm_pendaftaran",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("jenis", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False, index=True),
        sa.Column("versi", sa.Integer, nullable=False),
        sa.Column("diajukan_pada", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("diputuskan_pada", sa.DateTime(timezone=True)),
    )


def downgrade() -> None:
    op.drop_table("rm_pendaftaran")
    drop_platform_tables(op)
