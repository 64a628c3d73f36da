"""Offers engine: exposures, bandit counts, discount codes, conversions, collection membership;
orders keep their discount codes and line items their refunds.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import plugin.models

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("discount_codes", sa.JSON(), nullable=True))
    with op.batch_alter_table("line_items", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("refunded_quantity", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column(
                "refunded_amount", plugin.models.Money(), server_default="0", nullable=False
            )
        )

    op.create_table(
        "offer_exposures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("impression_id", sa.Integer(), nullable=False),
        sa.Column("offer_id", sa.String(length=128), nullable=False),
        sa.Column("platform_product_id", sa.String(length=64), nullable=False),
        sa.Column("strategy", sa.String(length=40), nullable=False),
        sa.Column("surface", sa.String(length=20), nullable=False),
        sa.Column("platform_customer_id", sa.String(length=64), nullable=True),
        sa.Column("platform_order_id", sa.String(length=64), nullable=True),
        sa.Column("discount_code", sa.String(length=64), nullable=True),
        sa.Column("shown_at", plugin.models.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["impression_id"], ["impressions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_offer_exposures_shopper",
        "offer_exposures",
        ["store_id", "platform_customer_id", "shown_at"],
    )
    op.create_index(
        "ix_offer_exposures_product",
        "offer_exposures",
        ["store_id", "platform_product_id", "shown_at"],
    )

    op.create_table(
        "offer_strategy_stats",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("surface", sa.String(length=20), nullable=False),
        sa.Column("strategy", sa.String(length=40), nullable=False),
        sa.Column("shown", sa.Integer(), nullable=False),
        sa.Column("clicks", sa.Integer(), nullable=False),
        sa.Column("conversions", sa.Integer(), nullable=False),
        sa.Column("successes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "store_id", "surface", "strategy", name="uq_offer_strategy_stats_arm"
        ),
    )

    op.create_table(
        "discount_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("percent", sa.Integer(), nullable=False),
        sa.Column("platform_discount_id", sa.String(length=255), nullable=True),
        sa.Column("starts_at", plugin.models.UtcDateTime(), nullable=False),
        sa.Column("ends_at", plugin.models.UtcDateTime(), nullable=False),
        sa.Column("created_at", plugin.models.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("store_id", "code", name="uq_discount_codes_code"),
    )
    op.create_index(
        "ix_discount_codes_usable", "discount_codes", ["store_id", "percent", "ends_at"]
    )

    op.create_table(
        "offer_conversions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("impression_id", sa.Integer(), nullable=False),
        sa.Column("offer_id", sa.String(length=128), nullable=False),
        sa.Column("platform_product_id", sa.String(length=64), nullable=False),
        sa.Column("strategy", sa.String(length=40), nullable=False),
        sa.Column("surface", sa.String(length=20), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("revenue", plugin.models.Money(), nullable=False),
        sa.Column("refunded", plugin.models.Money(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("converted_at", plugin.models.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["impression_id"], ["impressions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "impression_id", "offer_id", "order_id", name="uq_offer_conversions_once"
        ),
        sa.UniqueConstraint(
            "order_id", "platform_product_id", name="uq_offer_conversions_product"
        ),
    )
    op.create_index(
        "ix_offer_conversions_store_converted",
        "offer_conversions",
        ["store_id", "converted_at"],
    )

    op.create_table(
        "collection_products",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("platform_collection_id", sa.String(length=64), nullable=False),
        sa.Column("platform_product_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "store_id",
            "platform_collection_id",
            "platform_product_id",
            name="uq_collection_products_member",
        ),
    )
    op.create_index(
        "ix_collection_products_product",
        "collection_products",
        ["store_id", "platform_product_id"],
    )

    op.create_table(
        "collection_syncs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("platform_collection_id", sa.String(length=64), nullable=False),
        sa.Column("synced_at", plugin.models.UtcDateTime(), nullable=False),
        sa.Column("product_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "store_id", "platform_collection_id", name="uq_collection_syncs_collection"
        ),
    )


def downgrade() -> None:
    op.drop_table("collection_syncs")
    op.drop_index("ix_collection_products_product", table_name="collection_products")
    op.drop_table("collection_products")
    op.drop_index("ix_offer_conversions_store_converted", table_name="offer_conversions")
    op.drop_table("offer_conversions")
    op.drop_index("ix_discount_codes_usable", table_name="discount_codes")
    op.drop_table("discount_codes")
    op.drop_table("offer_strategy_stats")
    op.drop_index("ix_offer_exposures_product", table_name="offer_exposures")
    op.drop_index("ix_offer_exposures_shopper", table_name="offer_exposures")
    op.drop_table("offer_exposures")
    with op.batch_alter_table("line_items", schema=None) as batch_op:
        batch_op.drop_column("refunded_amount")
        batch_op.drop_column("refunded_quantity")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_column("discount_codes")
