"""Key rotation: re-encrypt every sealed value with the first key of ENCRYPTION_KEY.

The procedure: put the new key first (`ENCRYPTION_KEY="NEW,OLD"`) and restart, so new values
are sealed with it and old ones still read; run `encore keys rotate`; then drop OLD.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from plugin.crypto import SealError, reseal
from plugin.models import StoreCredential, WebhookSubscription
from plugin.tracking.tables import CarrierAccount

Progress = Callable[[str], None]


class KeyRotationError(RuntimeError):
    """A sealed value cannot be rotated; the message says what to do."""


@dataclass(frozen=True)
class SealedColumn:
    """A column holding Fernet ciphertext, and what its values are called in reports."""

    kind: str
    column: InstrumentedAttribute[Any]


# Every column that holds sealed secrets (grep `_sealed` when adding one).
SEALED_COLUMNS = (
    SealedColumn("store access tokens", StoreCredential.access_token_sealed),
    SealedColumn("store refresh tokens", StoreCredential.refresh_token_sealed),
    SealedColumn("WooCommerce consumer keys", StoreCredential.consumer_key_sealed),
    SealedColumn("WooCommerce consumer secrets", StoreCredential.consumer_secret_sealed),
    SealedColumn("webhook secrets", WebhookSubscription.secret_sealed),
    SealedColumn("carrier credentials", CarrierAccount.credentials_sealed),
)


@dataclass
class RotationCount:
    kind: str
    rotated: int = 0
    current: int = 0  # already sealed with the first key: left as they are


def rotate_keys(
    db: Session, batch_size: int = 200, progress: Progress | None = None
) -> list[RotationCount]:
    """Re-seal every value not yet sealed with the first key; one commit per batch.

    Running it again rewrites nothing. Raises KeyRotationError at the first value no key
    reads (batches before it stay committed, so a rerun continues where it stopped).
    """
    return [_rotate_column(db, sealed, batch_size, progress) for sealed in SEALED_COLUMNS]


def _rotate_column(
    db: Session, sealed: SealedColumn, batch_size: int, progress: Progress | None
) -> RotationCount:
    model = sealed.column.class_
    key = model.id
    count = RotationCount(sealed.kind)
    last_id = 0
    while True:
        rows = db.execute(
            select(key, sealed.column)
            .where(sealed.column.is_not(None), key > last_id)
            .order_by(key)
            .limit(batch_size)
        ).all()
        if not rows:
            break
        last_id = rows[-1][0]
        for row_id, ciphertext in rows:
            try:
                fresh = reseal(ciphertext)
            except SealError as exc:
                db.rollback()
                raise KeyRotationError(
                    f"One of the {sealed.kind} ({model.__tablename__} row {row_id}) cannot be "
                    "read with any key in ENCRYPTION_KEY. Add the key it was sealed with to "
                    "ENCRYPTION_KEY after the new one (comma separated) and run `encore keys "
                    "rotate` again; values already rotated stay rotated."
                ) from exc
            if fresh is None:
                count.current += 1
                continue
            # Only if unchanged since read: a token refreshed meanwhile is already current.
            db.execute(
                update(model)
                .where(key == row_id, sealed.column == ciphertext)
                .values({sealed.column.key: fresh})
                .execution_options(synchronize_session=False)
            )
            count.rotated += 1
        db.commit()
        if progress is not None:
            progress(f"{sealed.kind}: {count.rotated} rotated, {count.current} already current")
    return count
