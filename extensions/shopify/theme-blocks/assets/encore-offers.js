/* Encore recommended offers block: asks the app proxy for offers and draws the cards.
   The block stays hidden unless an offer renders. Server strings reach the page only
   through textContent and attribute setters. */
(() => {
  'use strict';

  const HTTP_URL = /^https?:\/\/\S+$/i;
  const DECIMAL = /^\d+(\.\d+)?$/;
  const MAX_OFFERS = 3;
  const own = (object, key) => Object.prototype.hasOwnProperty.call(object, key);

  function readI18n(root) {
    const node = root.querySelector('[data-encore-i18n]');
    try {
      return JSON.parse(node ? node.textContent : '{}') || {};
    } catch (error) {
      return {};
    }
  }

  /** Fills the `{name}` placeholders the Liquid `t` filter left in a string. */
  const fill = (template, values) =>
    String(template || '').replace(/\{(\w+)\}/g, (match, name) => (own(values, name) ? String(values[name]) : match));

  function clampLimit(value) {
    const number = parseInt(value, 10);
    return Number.isNaN(number) ? MAX_OFFERS : Math.min(MAX_OFFERS, Math.max(1, number));
  }

  /** `/apps/encore/offers?product_ids=1,2&limit=3`, numeric product ids only. */
  function offersUrl(path, productIds, limit) {
    const ids = String(productIds || '').split(',').map((id) => id.trim()).filter((id) => /^\d+$/.test(id));
    const params = new URLSearchParams();
    if (ids.length > 0) params.set('product_ids', ids.join(','));
    params.set('limit', String(clampLimit(limit)));
    return `${path}?${params}`;
  }

  const text = (value) => (typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '');

  function normalizeOffer(raw) {
    if (!raw || typeof raw !== 'object') return null;
    const offer = {
      offer_id: text(raw.offer_id),
      title: text(raw.title),
      cart_url: text(raw.cart_url),
      image_url: text(raw.image_url),
      price: text(raw.price),
      compare_at_price: text(raw.compare_at_price),
      currency: text(raw.currency),
      discount_percent: Number(raw.discount_percent),
    };
    if (!offer.offer_id || !offer.title || !HTTP_URL.test(offer.cart_url)) return null;
    if (!HTTP_URL.test(offer.image_url)) offer.image_url = '';
    return offer;
  }

  /** Resolves to {impressionId, offers}, or null on any error. */
  function fetchOffers(url) {
    return fetch(url, {headers: {Accept: 'application/json'}, credentials: 'same-origin'})
      .then((response) => (response.ok ? response.json() : null))
      .then((body) => {
        if (!body || typeof body !== 'object' || !Array.isArray(body.offers)) return null;
        return {impressionId: text(body.impression_id) || null, offers: body.offers.map(normalizeOffer).filter(Boolean)};
      })
      .catch(() => null);
  }

  function formatMoney(amount, currency, locale) {
    if (!DECIMAL.test(amount)) return null;
    const value = parseFloat(amount);
    if (!/^[A-Z]{3}$/.test(currency)) return value.toFixed(2);
    try {
      return new Intl.NumberFormat(locale, {style: 'currency', currency}).format(value);
    } catch (error) {
      return `${value.toFixed(2)} ${currency}`;
    }
  }

  /** Fire-and-forget view or click through the app proxy; never throws. */
  function recordEvent(path, impressionId, offerId, type) {
    if (!path || !impressionId) return Promise.resolve(false);
    try {
      return fetch(path, {
        method: 'POST',
        credentials: 'same-origin',
        keepalive: true,
        headers: {'Content-Type': 'application/json', Accept: 'application/json'},
        body: JSON.stringify({impression_id: impressionId, offer_id: offerId, type}),
      }).then((response) => response.ok, () => false);
    } catch (error) {
      return Promise.resolve(false);
    }
  }

  function el(tag, className, content) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined && content !== null) node.textContent = String(content);
    return node;
  }

  function renderOffer(offer, i18n, options) {
    const item = el('li', 'encore-offer');
    if (offer.image_url) {
      const image = item.appendChild(el('img', 'encore-offer-image'));
      image.src = offer.image_url;
      image.alt = offer.title;
      image.loading = 'lazy';
      image.width = 80;
      image.height = 80;
    } else {
      item.classList.add('encore-offer--text');
    }
    const body = item.appendChild(el('div', 'encore-offer-body'));
    body.appendChild(el('p', 'encore-offer-title', offer.title));

    const prices = el('p', 'encore-offer-prices');
    const price = formatMoney(offer.price, offer.currency, options.locale);
    if (price) prices.appendChild(el('span', 'encore-price', price));
    const compareAt = formatMoney(offer.compare_at_price, offer.currency, options.locale);
    if (price && compareAt && parseFloat(offer.compare_at_price) > parseFloat(offer.price)) {
      prices.appendChild(el('span', 'encore-visually-hidden', ` ${i18n.compare_at_label || ''} `));
      prices.appendChild(el('s', 'encore-compare-at', compareAt));
    }
    const percent = offer.discount_percent;
    if (options.showBadge && Number.isFinite(percent) && percent > 0 && percent < 100) {
      prices.appendChild(el('span', 'encore-badge', fill(i18n.discount_badge, {percent: Math.round(percent)})));
    }
    if (prices.childNodes.length > 0) body.appendChild(prices);

    const button = body.appendChild(el('a', 'encore-button', i18n.buy_now));
    button.href = offer.cart_url;
    button.addEventListener('click', () => recordEvent(options.eventsPath, options.impressionId, offer.offer_id, 'click'));
    return item;
  }

  /** Draws the cards and unhides the block; returns how many offers it shows. */
  function renderOffers(root, data, i18n, options) {
    const list = root.querySelector('[data-encore-offer-list]');
    const offers = data && Array.isArray(data.offers) ? data.offers.slice(0, clampLimit(options.limit)) : [];
    if (!list || offers.length === 0) {
      root.hidden = true;
      return 0;
    }
    const settings = {...options, impressionId: data.impressionId};
    list.replaceChildren(...offers.map((offer) => renderOffer(offer, i18n, settings)));
    root.hidden = false;
    for (const offer of offers) recordEvent(options.eventsPath, data.impressionId, offer.offer_id, 'view');
    return offers.length;
  }

  function init(root) {
    if (!root || root.hasAttribute('data-encore-ready')) return;
    root.setAttribute('data-encore-ready', '');
    const i18n = readI18n(root);
    const options = {
      limit: root.getAttribute('data-limit'),
      locale: root.getAttribute('data-locale') || undefined,
      showBadge: root.getAttribute('data-show-badge') !== 'false',
      eventsPath: root.getAttribute('data-events-path'),
    };
    const url = offersUrl(root.getAttribute('data-proxy-path') || '/apps/encore/offers', root.getAttribute('data-product-ids'), options.limit);
    root.encoreReady = fetchOffers(url).then((data) => {
      renderOffers(root, data, i18n, options);
    });
  }

  const boot = (scope) => (scope || document).querySelectorAll('[data-encore-offers]').forEach(init);

  window.EncoreOffers = {offersUrl, fetchOffers, formatMoney, renderOffers, recordEvent, init, boot};

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => boot());
  else boot();
  // The theme editor re-renders a section without reloading the page.
  document.addEventListener('shopify:section:load', (event) => boot(event.target));
})();
