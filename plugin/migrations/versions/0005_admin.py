"""Merchant admin: admin users and login.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import plugin.models

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "admin_users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", plugin.models.UtcDateTime(), nullable=False),
        sa.Column("last_login_at", plugin.models.UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
    )
    op.create_table(
        "store_admins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("admin_user_id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("created_at", plugin.models.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["admin_user_id"], ["admin_users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["store_id"], ["stores.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("admin_user_id", "store_id", name="uq_store_admins_pair"),
    )
    op.create_index("ix_store_admins_admin_user_id", "store_admins", ["admin_user_id"])
    op.create_index("ix_store_admins_store_id", "store_admins", ["store_id"])
    op.create_table(
        "admin_login_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("client_address", sa.String(length=64), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.Column("at", plugin.models.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_admin_login_attempts_email", "admin_login_attempts", ["email", "at"]
    )
    op.create_index(
        "ix_admin_login_attempts_client", "admin_login_attempts", ["client_address", "at"]
    )


def downgrade() -> None:
    op.drop_index("ix_admin_login_attempts_client", table_name="admin_login_attempts")
    op.drop_index("ix_admin_login_attempts_email", table_name="admin_login_attempts")
    op.drop_table("admin_login_attempts")
    op.drop_index("ix_store_admins_store_id", table_name="store_admins")
    op.drop_index("ix_store_admins_admin_user_id", table_name="store_admins")
    op.drop_table("store_admins")
    op.drop_table("admin_users")
