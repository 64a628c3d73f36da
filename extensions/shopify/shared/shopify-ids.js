// Shopify ids as the extensions see them (GIDs) and as Encore's storefront API takes them.

const GID = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)(?:\?.*)?$/;
const DIGITS = /^\d+$/;

/** The numeric part of a GID or a plain numeric id, as a string; null otherwise. */
export function numericId(value) {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return String(value);
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  if (DIGITS.test(trimmed)) return trimmed;
  const match = GID.exec(trimmed);
  return match ? match[2] : null;
}

/**
 * The `order_id` to send for an order: the GID as Shopify gave it when it is an Order or
 * OrderIdentity GID (the thank-you page has `gid://shopify/OrderIdentity/<n>`), the
 * digits when it is already numeric, null when it is neither.
 */
export function orderIdParam(value) {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const text = String(value).trim();
  if (DIGITS.test(text)) return text;
  const match = GID.exec(text);
  if (!match || (match[1] !== 'Order' && match[1] !== 'OrderIdentity')) return null;
  return `gid://shopify/${match[1]}/${match[2]}`;
}

/** Distinct numeric product ids of the order's lines, in line order. */
export function productIdsFromLines(lines) {
  if (!Array.isArray(lines)) return [];
  const ids = [];
  for (const line of lines) {
    const id = numericId(line?.merchandise?.product?.id);
    if (id && !ids.includes(id)) ids.push(id);
  }
  return ids;
}
