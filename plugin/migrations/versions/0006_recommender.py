"""Learned recommender: shopper purchase memory and product neighbours.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import plugin.models

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "shopper_profiles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("orders_learned", sa.Integer(), nullable=False),
        sa.Column("last_order_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", plugin.models.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("customer_id", name="uq_shopper_profiles_customer"),
    )
    op.create_table(
        "shopper_products",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("platform_product_id", sa.String(length=64), nullable=False),
        sa.Column("times_bought", sa.Integer(), nullable=False),
        sa.Column("last_bought_at_order", sa.Integer(), nullable=False),
        sa.Column("decayed", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("customer_id", "platform_product_id", name="uq_shopper_products"),
    )
    op.create_table(
        "product_signals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("platform_product_id", sa.String(length=64), nullable=False),
        sa.Column("orders", sa.Integer(), nullable=False),
        sa.Column("first_purchases", sa.Integer(), nullable=False),
        sa.Column("repeat_purchases", sa.Integer(), nullable=False),
        sa.Column("neighbours", sa.JSON(), nullable=False),
        sa.Column("neighbours_stale", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "store_id", "platform_product_id", name="uq_product_signals_product"
        ),
    )
    op.create_index(
        "ix_product_signals_stale", "product_signals", ["store_id", "neighbours_stale"]
    )
    op.create_table(
        "product_pairs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("product_a", sa.String(length=64), nullable=False),
        sa.Column("product_b", sa.String(length=64), nullable=False),
        sa.Column("orders", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("store_id", "product_a", "product_b", name="uq_product_pairs"),
    )
    op.create_index("ix_product_pairs_b", "product_pairs", ["store_id", "product_b"])


def downgrade() -> None:
    op.drop_index("ix_product_pairs_b", table_name="product_pairs")
    op.drop_table("product_pairs")
    op.drop_index("ix_product_signals_stale", table_name="product_signals")
    op.drop_table("product_signals")
    op.drop_table("shopper_products")
    op.drop_table("shopper_profiles")
