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
    estimate: normalizeEstimate(raw.estimate),
    exception: optionalText(raw.exception),
    events,
  };
}

const EXCEPTION_KINDS = ['no_scan', 'stalled', 'late', 'carrier_exception'];
const EMAIL = /^[^@\s<>"']+@[^@\s<>"']+\.[^@\s<>"']+$/;

/** `{earliest, likely, latest, source}` of a delivery window, or null. */
function normalizeEstimate(raw) {
  if (!raw || typeof raw !== 'object') return null;
  const earliest = optionalText(raw.earliest);
  const latest = optionalText(raw.latest);
  if (!earliest || !latest) return null;
  return {earliest, likely: optionalText(raw.likely), latest, source: optionalText(raw.source)};
}

/** Returns policy and support contact; links must be http(s), the email an address. */
function normalizeHelp(raw) {
  if (!raw || typeof raw !== 'object') return null;
  const email = text(raw.support_email);
  const help = {
    returns_url: httpUrl(raw.returns_url),
    returns_text: optionalText(raw.returns_text),
    support_url: httpUrl(raw.support_url),
    support_email: EMAIL.test(email) ? email : null,
  };
  return Object.values(help).some(Boolean) ? help : null;
}

function normalizeFeedback(raw) {
  if (!raw || typeof raw !== 'object') return null;
  const url = httpUrl(raw.url);
  if (!url) return null;
  const rating = Number(raw.rating);
  return {
    enabled: raw.enabled === true,
    submitted: raw.submitted === true,
    rating: Number.isInteger(rating) && rating >= 1 && rating <= 5 ? rating : null,
    url,
  };
}

export function normalizeTracking(raw) {
  if (!raw || typeof raw !== 'object') return null;
  const shipments = Array.isArray(raw.shipments) ? raw.shipments.map(normalizeShipment).filter(Boolean) : [];
  const tracking = {status: optionalText(raw.status), shipments};
  // What Encore added after delivery tracking (issue 6); absent from older answers.
  const help = normalizeHelp(raw.help);
  const feedback = normalizeFeedback(raw.feedback);
  if (help) tracking.help = help;
  if (feedback) tracking.feedback = feedback;
  for (const shipment of shipments) {
    if (!EXCEPTION_KINDS.includes(shipment.exception)) shipment.exception = null;
  }
  return tracking;
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
