"""WooCommerce: connect, webhooks with self-healing, initial import.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import plugin.models

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "woocommerce_sync",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("reconciled_through", plugin.models.UtcDateTime(), nullable=True),
        sa.Column("last_reconciled_at", plugin.models.UtcDateTime(), nullable=True),
        sa.Column("last_checked_at", plugin.models.UtcDateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_error_at", plugin.models.UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("store_id"),
    )
    op.create_table(
        "woocommerce_sync_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("steps", sa.JSON(), nullable=False),
        sa.Column("step", sa.String(length=20), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("total_pages", sa.Integer(), nullable=True),
        sa.Column("window_start", plugin.models.UtcDateTime(), nullable=True),
        sa.Column("window_end", plugin.models.UtcDateTime(), nullable=True),
        sa.Column("fetched", sa.Integer(), nullable=False),
        sa.Column("written", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("started_at", plugin.models.UtcDateTime(), nullable=False),
        sa.Column("finished_at", plugin.models.UtcDateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("woocommerce_sync_runs", schema=None) as batch_op:
        batch_op.create_index(
            "ix_woocommerce_sync_runs_store", ["store_id", "purpose", "status"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("woocommerce_sync_runs", schema=None) as batch_op:
        batch_op.drop_index("ix_woocommerce_sync_runs_store")
    op.drop_table("woocommerce_sync_runs")
    op.drop_table("woocommerce_sync")
