"""The products of one merchant collection (Shopify) or product category (WooCommerce).

Read by a job for pinned offers triggered by a collection; returns platform product ids as
strings, the same ids orders carry.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from plugin.models import Platform, Store
from plugin.platforms import woocommerce
from plugin.platforms.base import PayloadError
from plugin.platforms.shopify import platform_id
from plugin.platforms.shopify_admin import ShopifyApiError, admin_client_for

PAGE_SIZE = 250
MAX_PAGES = 40  # 10,000 products: a trigger collection larger than that is the whole shop

COLLECTION_PRODUCTS_QUERY = f"""
query EncoreCollectionProducts($id: ID!, $after: String) {{
  collection(id: $id) {{
    products(first: {PAGE_SIZE}, after: $after) {{
      nodes {{ legacyResourceId }}
      pageInfo {{ hasNextPage endCursor }}
    }}
  }}
}}
"""


def collection_product_ids(db: Session, store: Store, collection_id: str) -> list[str]:
    """Every product id in the collection; empty when the collection does not exist."""
    if store.platform == Platform.SHOPIFY:
        return _shopify_collection(db, store, collection_id)
    if store.platform == Platform.WOOCOMMERCE:
        return _woocommerce_category(db, store, collection_id)
    return []  # the demo store has no collections


def _shopify_collection(db: Session, store: Store, collection_id: str) -> list[str]:
    gid = f"gid://shopify/Collection/{platform_id(collection_id, 'collection id')}"
    client = admin_client_for(db, store)
    ids: list[str] = []
    after: str | None = None
    for _page in range(MAX_PAGES):
        data = client.execute(COLLECTION_PRODUCTS_QUERY, {"id": gid, "after": after})
        collection = data.get("collection")
        if collection is None:
            return []
        products = _mapping(_mapping(collection).get("products"))
        for node in products.get("nodes") or []:
            ids.append(platform_id(_mapping(node).get("legacyResourceId"), "product id"))
        info = _mapping(products.get("pageInfo"))
        if not info.get("hasNextPage"):
            return ids
        after = str(info.get("endCursor") or "")
        if not after:
            raise ShopifyApiError(f"Shopify paged collection {collection_id} without a cursor.")
    return ids


def _woocommerce_category(db: Session, store: Store, category_id: str) -> list[str]:
    if not category_id.isdigit():
        raise PayloadError(f"WooCommerce category ids are numbers, got {category_id!r}")
    client = woocommerce.client_for(db, store)
    return [
        str(product["id"])
        for product in client.iterate(
            "products", {"category": category_id, "_fields": "id"}, max_pages=MAX_PAGES
        )
        if product.get("id") not in (None, "")
    ]


def _mapping(value: Any) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ShopifyApiError("Shopify answered a collection query in an unexpected shape.")
    return value
