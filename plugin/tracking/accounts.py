"""Carrier API credentials per store, sealed with the app's Fernet key like platform tokens."""

from __future__ import annotations

import json

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from plugin.crypto import seal, unseal
from plugin.models import Shipment, Store, utcnow
from plugin.tracking.carrier_api import CLIENTS, CarrierApiError, CarrierClient
from plugin.tracking.status import TrackingStatus
from plugin.tracking.tables import CarrierAccount


def save_carrier_account(
    db: Session, store: Store, carrier: str, credentials: dict[str, str]
) -> CarrierAccount:
    """Add or replace a store's credentials for one carrier (checked, then sealed)."""
    client_class = CLIENTS.get(carrier)
    if client_class is None:
        raise CarrierApiError(
            f"Encore cannot poll {carrier!r}; use one of {', '.join(sorted(CLIENTS))}.",
            transient=False,
        )
    client_class(credentials)  # raises when a required key is missing
    account = db.scalar(
        select(CarrierAccount).where(
            CarrierAccount.store_id == store.id, CarrierAccount.carrier == carrier
        )
    )
    if account is None:
        account = CarrierAccount(store_id=store.id, carrier=carrier)
        db.add(account)
    account.credentials_sealed = seal(json.dumps(credentials))
    account.active = True
    account.last_error = None
    _poll_live_parcels_soon(db, store, carrier)
    return account


def _poll_live_parcels_soon(db: Session, store: Store, account_carrier: str) -> None:
    """Parcels already on their way with this carrier get asked about at the next tick."""
    from plugin.tracking.carrier_api import ACCOUNT_FOR_CARRIER
    from plugin.tracking.carriers import BY_CODE

    names = [
        BY_CODE[code].name for code, acc in ACCOUNT_FOR_CARRIER.items() if acc == account_carrier
    ]
    db.execute(
        update(Shipment)
        .where(
            Shipment.store_id == store.id,
            Shipment.carrier.in_(names),
            Shipment.status.not_in([s.value for s in TrackingStatus if s.is_final]),
            Shipment.tracking_number != "",
        )
        .values(next_poll_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def carrier_accounts(db: Session, store: Store) -> dict[str, CarrierAccount]:
    accounts = db.scalars(
        select(CarrierAccount).where(
            CarrierAccount.store_id == store.id, CarrierAccount.active.is_(True)
        )
    )
    return {account.carrier: account for account in accounts}


def client_for(account: CarrierAccount, timeout: float = 10.0) -> CarrierClient:
    credentials = json.loads(unseal(account.credentials_sealed))
    return CLIENTS[account.carrier](credentials, timeout=timeout)
