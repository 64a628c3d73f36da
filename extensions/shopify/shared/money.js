// Prices arrive as decimal strings ("19.00") with an ISO currency code.

const DECIMAL = /^-?\d+(\.\d+)?$/;
const CURRENCY = /^[A-Z]{3}$/;

/** The amount as a number, or null when it is not a decimal. */
export function parseAmount(value) {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' || !DECIMAL.test(value.trim())) return null;
  return Number.parseFloat(value);
}

/**
 * The amount formatted in `currency` for the buyer: Shopify's `i18n.formatCurrency`
 * when the extension has it, else `Intl`, else "19.00 USD". Null for a bad amount.
 */
export function formatMoney(value, currency, {i18n, locale} = {}) {
  const amount = parseAmount(value);
  if (amount === null) return null;
  const code = typeof currency === 'string' && CURRENCY.test(currency) ? currency : null;
  if (!code) return amount.toFixed(2);
  if (i18n && typeof i18n.formatCurrency === 'function') {
    try {
      return i18n.formatCurrency(amount, {currency: code});
    } catch {
      // fall through to Intl
    }
  }
  try {
    return new Intl.NumberFormat(locale, {style: 'currency', currency: code}).format(amount);
  } catch {
    return `${amount.toFixed(2)} ${code}`;
  }
}

/** Whether the compare-at price is worth striking through: a real, higher price. */
export function hasCompareAtPrice(offer) {
  const price = parseAmount(offer?.price);
  const compareAt = parseAmount(offer?.compare_at_price);
  return price !== null && compareAt !== null && compareAt > price;
}
