// Validates what Encore answers before anything is shown: bad offers are dropped,
// links that are not http(s) never become hrefs.

const HTTP_URL = /^https?:\/\/[^\s]+$/i;

function text(value) {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return '';
}

function optionalText(value) {
  return text(value) || null;
}

/** The URL when it is absolute http(s), else null. */
export function httpUrl(value) {
  const candidate = text(value);
  return HTTP_URL.test(candidate) ? candidate : null;
}

export function normalizeOffer(raw) {
  if (!raw || typeof raw !== 'object') return null;
  const offerId = text(raw.offer_id);
  const title = text(raw.title);
  const cartUrl = httpUrl(raw.cart_url);
  if (!offerId || !title || !cartUrl) return null;
  const percent = Number(raw.discount_percent);
  return {
    offer_id: offerId,
    product_id: optionalText(raw.product_id),
    variant_id: optionalText(raw.variant_id),
    title,
    image_url: httpUrl(raw.image_url),
    price: optionalText(raw.price),
    compare_at_price: optionalText(raw.compare_at_price),
    currency: optionalText(raw.currency),
    discount_code: optionalText(raw.discount_code),
    discount_percent: Number.isFinite(percent) && percent > 0 && percent < 100 ? Math.round(percent) : null,
    cart_url: cartUrl,
    reason: optionalText(raw.reason),
  };
}

function normalizeEvent(raw) {
  if (!raw || typeof raw !== 'object') return null;
  return {
    at: optionalText(raw.at),
    status: optionalText(raw.status),
    message: optionalText(raw.message),
    location: optionalText(raw.location),
  };
}

function normalizeShipment(raw) {
  if (!raw || typeof raw !== 'object') return null;
  const events = Array.isArray(raw.events) ? raw.events.map(normalizeEvent).filter(Boolean) : [];
  return {
    carrier: optionalText(raw.carrier),
    tracking_number: optionalText(raw.tracking_number),
    tracking_url: httpUrl(raw.tracking_url),
    status: optionalText(raw.status),
    estimated_delivery: optionalText(raw.estimated_delivery),
    events,
  };
}

export function normalizeTracking(raw) {
  if (!raw || typeof raw !== 'object') return null;
  const shipments = Array.isArray(raw.shipments) ? raw.shipments.map(normalizeShipment).filter(Boolean) : [];
  return {status: optionalText(raw.status), shipments};
}

/** `{impressionId, offers, tracking}` or null when the body is not the contract's shape. */
export function normalizeStorefrontResponse(body) {
  if (!body || typeof body !== 'object' || !Array.isArray(body.offers)) return null;
  return {
    impressionId: optionalText(body.impression_id),
    offers: body.offers.map(normalizeOffer).filter(Boolean),
    tracking: normalizeTracking(body.tracking),
  };
}
