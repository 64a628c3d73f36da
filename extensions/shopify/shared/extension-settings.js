// Merchant settings from [extensions.settings] in shopify.extension.toml. Values are
// absent until the merchant saves them, so every one has a default.

import {resolveAppUrl} from './app-url.js';

export const MAX_OFFERS = 3;

function flag(value, fallback) {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return fallback;
}

function count(value, fallback, min, max) {
  const number = typeof value === 'number' ? value : Number.parseInt(String(value ?? ''), 10);
  if (!Number.isFinite(number)) return fallback;
  return Math.min(max, Math.max(min, Math.trunc(number)));
}

function textSetting(value) {
  return typeof value === 'string' && value.trim() ? value.trim() : null;
}

/** Offer settings shared by both UI extensions. `heading: null` means the translated default. */
export function readOfferSettings(raw) {
  const settings = raw && typeof raw === 'object' ? raw : {};
  return {
    heading: textSetting(settings.heading),
    maxOffers: count(settings.max_offers, MAX_OFFERS, 1, MAX_OFFERS),
    showDiscountBadge: flag(settings.show_discount_badge, true),
    showOffers: flag(settings.show_offers, true),
    trackingHeading: textSetting(settings.tracking_heading),
    appUrl: resolveAppUrl(settings.app_url),
  };
}
