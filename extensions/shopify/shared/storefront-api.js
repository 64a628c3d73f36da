// Encore's storefront endpoints (CONTRACT.md, "Shopify storefront endpoints"): URLs,
// the authenticated GET, and the fire-and-forget event POST.

import {normalizeStorefrontResponse} from './storefront-response.js';

export const EVENT_TYPES = ['view', 'click', 'dismiss'];

/** GET /api/storefront/thank-you?order_id=…&product_ids=1,2 */
export function thankYouUrl(appUrl, {orderId, productIds = []}) {
  let url = `${appUrl}/api/storefront/thank-you?order_id=${encodeURIComponent(orderId)}`;
  const ids = productIds.filter((id) => /^\d+$/.test(id));
  if (ids.length > 0) url += `&product_ids=${ids.join(',')}`;
  return url;
}

/** GET /api/storefront/order-status?order_id=… */
export function orderStatusUrl(appUrl, {orderId}) {
  return `${appUrl}/api/storefront/order-status?order_id=${encodeURIComponent(orderId)}`;
}

export function eventsUrl(appUrl) {
  return `${appUrl}/api/storefront/events`;
}

export class StorefrontError extends Error {
  constructor(message, status) {
    super(message);
    this.name = 'StorefrontError';
    this.status = status;
  }
}

/**
 * Fetches a storefront endpoint with a fresh session token and returns the normalized
 * `{impressionId, offers, tracking}`. Throws on a missing token, a non-2xx answer or a
 * body that is not the contract's shape.
 */
export async function loadStorefront(sessionToken, url) {
  const token = await sessionToken.get();
  if (!token) throw new StorefrontError('no session token', 0);
  const response = await fetch(url, {
    method: 'GET',
    headers: {Authorization: `Bearer ${token}`, Accept: 'application/json'},
  });
  if (!response.ok) throw new StorefrontError(`storefront answered ${response.status}`, response.status);
  const body = await response.json();
  const normalized = normalizeStorefrontResponse(body);
  if (!normalized) throw new StorefrontError('unexpected response shape', response.status);
  return normalized;
}

/**
 * Returns `record(type, offerId)`, which POSTs one event and resolves to true when
 * Encore accepted it. It never throws: analytics must not break the page.
 */
export function createEventRecorder({appUrl, sessionToken, impressionId}) {
  return async function record(type, offerId) {
    if (!impressionId || !offerId || !EVENT_TYPES.includes(type)) return false;
    try {
      const token = await sessionToken.get();
      if (!token) return false;
      const response = await fetch(eventsUrl(appUrl), {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/json',
          Accept: 'application/json',
        },
        body: JSON.stringify({impression_id: impressionId, offer_id: offerId, type}),
      });
      return response.ok;
    } catch {
      return false;
    }
  };
}
