/* Encore order tracking block: asks the app proxy for tracking and draws it.
   Server strings reach the page only through textContent and attribute setters. */
(() => {
  'use strict';

  const CRITICAL = ['exception', 'attempted_delivery', 'cancelled'];
  const HTTP_URL = /^https?:\/\/\S+$/i;
  const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
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

  /** The label of a TrackingStatus (the block's i18n has one per value), else "unknown". */
  function statusLabel(status, i18n) {
    const labels = i18n.status || {};
    return (own(labels, status) && labels[status]) || labels.unknown || '';
  }

  /** `/apps/encore/tracking?order=…&email=…`, or null while either is missing. */
  function lookupUrl(path, orderNumber, email) {
    const order = String(orderNumber || '').trim().replace(/^#/, '').trim();
    const address = String(email || '').trim();
    return order && address ? `${path}?${new URLSearchParams({order, email: address})}` : null;
  }

  /** Resolves to {status, body} (body null unless a JSON object), or null if the request failed. */
  function requestJson(url) {
    return fetch(url, {headers: {Accept: 'application/json'}, credentials: 'same-origin'})
      .then((response) => {
        const answer = (body) => ({status: response.status, body: body && typeof body === 'object' ? body : null});
        return response.json().then(answer, () => answer(null));
      })
      .catch(() => null);
  }

  /** Newest first; events without a readable time keep their order, last. */
  function eventsNewestFirst(events) {
    const time = (event) => {
      const parsed = Date.parse(event.at);
      return Number.isNaN(parsed) ? -Infinity : parsed;
    };
    return (Array.isArray(events) ? events : [])
      .filter((event) => event && typeof event === 'object')
      .map((event, index) => ({event, index, time: time(event)}))
      .sort((a, b) => b.time - a.time || a.index - b.index)
      .map((entry) => entry.event);
  }

  /** A bare day ("2026-11-20") stays that day whatever the shopper's time zone. */
  function formatDate(value, locale, options) {
    if (typeof value !== 'string') return null;
    const day = DAY.exec(value);
    const time = day ? Date.UTC(+day[1], +day[2] - 1, +day[3]) : Date.parse(value);
    if (Number.isNaN(time)) return null;
    try {
      return new Intl.DateTimeFormat(locale, day ? {dateStyle: 'medium', timeZone: 'UTC'} : options).format(new Date(time));
    } catch (error) {
      return null;
    }
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  /** Appends a node or a text and returns what was appended. */
  function add(parent, child) {
    return parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }

  const badge = (status, i18n) =>
    el('span', `encore-badge${CRITICAL.includes(status) ? ' encore-badge--critical' : ''}`, statusLabel(status, i18n));

  function renderShipment(shipment, number, total, i18n, locale) {
    const section = el('section', 'encore-shipment');
    const title = add(section, el('h3', 'encore-shipment-title', total > 1 ? fill(i18n.shipment_numbered, {number, total}) : i18n.shipment));
    if (shipment.status) {
      add(title, ' ');
      add(title, badge(shipment.status, i18n));
    }
    if (shipment.carrier) add(section, el('p', 'encore-line', fill(i18n.carrier, {carrier: shipment.carrier})));
    if (shipment.tracking_number) {
      const line = add(section, el('p', 'encore-line', `${i18n.tracking_number || ''} `));
      if (typeof shipment.tracking_url === 'string' && HTTP_URL.test(shipment.tracking_url)) {
        const link = add(line, el('a', 'encore-link', shipment.tracking_number));
        link.href = shipment.tracking_url;
        link.target = '_blank';
        link.rel = 'noopener noreferrer';
      } else {
        add(line, String(shipment.tracking_number));
      }
    }
    const eta = formatDate(shipment.estimated_delivery, locale, {dateStyle: 'medium'});
    if (eta) add(section, el('p', 'encore-line', fill(i18n.estimated_delivery, {date: eta})));

    const events = eventsNewestFirst(shipment.events);
    add(section, el('p', 'encore-hint', events.length > 0 ? i18n.history : i18n.no_events));
    if (events.length === 0) return section;
    const list = add(section, el('ol', 'encore-timeline'));
    for (const event of events) {
      const item = add(list, el('li', 'encore-event'));
      add(item, el('span', 'encore-event-message', event.message || statusLabel(event.status, i18n)));
      const meta = [formatDate(event.at, locale, {dateStyle: 'medium', timeStyle: 'short'}), event.location].filter(Boolean).join(' · ');
      if (meta) add(item, el('span', 'encore-event-meta', meta));
    }
    return section;
  }

  /** Replaces the container's content with the tracking widget. */
  function renderTracking(container, tracking, i18n, locale) {
    const widget = el('div', 'encore-tracking-widget');
    add(add(widget, el('p', 'encore-status', `${i18n.overall_status || ''} `)), badge(tracking.status, i18n));
    const shipments = (Array.isArray(tracking.shipments) ? tracking.shipments : []).filter((shipment) => shipment && typeof shipment === 'object');
    shipments.forEach((shipment, index) => add(widget, renderShipment(shipment, index + 1, shipments.length, i18n, locale)));
    container.replaceChildren(widget);
  }

  function init(root) {
    if (!root || root.hasAttribute('data-encore-ready')) return;
    root.setAttribute('data-encore-ready', '');
    const i18n = readI18n(root);
    const path = root.getAttribute('data-proxy-path') || '/apps/encore/tracking';
    const locale = root.getAttribute('data-locale') || undefined;
    const result = root.querySelector('[data-encore-result]');
    const form = root.querySelector('[data-encore-lookup]');
    const list = root.querySelector('[data-encore-orders]');
    let latest = 0;
    root.encoreReady = Promise.resolve();
    if (!result) return;

    const say = (text) => result.replaceChildren(el('p', 'encore-hint', text));
    const show = (tracking) => (tracking && typeof tracking === 'object' ? renderTracking(result, tracking, i18n, locale) : say(i18n.no_tracking));

    form?.addEventListener('submit', (event) => {
      event.preventDefault();
      if (typeof form.reportValidity === 'function' && !form.reportValidity()) return;
      const url = lookupUrl(path, form.elements.order.value, form.elements.email.value);
      if (!url) return;
      const request = ++latest;
      say(i18n.loading);
      root.encoreReady = requestJson(url).then((answer) => {
        if (request !== latest) return;
        const status = answer ? answer.status : 0;
        if (status === 404) say(i18n.not_found);
        else if (status === 429) say(i18n.too_many);
        else if (status === 200 && answer.body) show(answer.body.tracking);
        else result.replaceChildren();
      });
    });

    // Logged in: the proxy answers the shopper's recent orders, each with its tracking.
    if (!list) return;
    const max = Math.max(1, parseInt(list.getAttribute('data-max-orders'), 10) || 5);
    root.encoreReady = requestJson(path).then((answer) => {
      const orders = answer && answer.status === 200 && answer.body && answer.body.orders;
      if (!Array.isArray(orders)) return;
      const shown = orders.filter((order) => order && typeof order === 'object' && order.order_name).slice(0, max);
      if (shown.length === 0) {
        say(i18n.no_orders);
        return;
      }
      const buttons = shown.map((order) => {
        const button = el('button', 'encore-order-button');
        button.type = 'button';
        add(button, el('span', 'encore-order-name', order.order_name));
        const placed = formatDate(order.placed_at, locale, {dateStyle: 'medium'});
        if (placed) add(button, el('span', 'encore-order-date', placed));
        button.addEventListener('click', () => {
          for (const other of buttons) other.setAttribute('aria-pressed', String(other === button));
          show(order.tracking);
        });
        return button;
      });
      list.replaceChildren(...buttons.map((button) => {
        const item = el('li');
        item.appendChild(button);
        return item;
      }));
      list.before(el('p', 'encore-hint', i18n.recent_orders));
      buttons[0].click();
    });
  }

  const boot = (scope) => (scope || document).querySelectorAll('[data-encore-tracking]').forEach(init);

  window.EncoreTracking = {lookupUrl, statusLabel, eventsNewestFirst, fill, renderTracking, init, boot};

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => boot());
  else boot();
  // The theme editor re-renders a section without reloading the page.
  document.addEventListener('shopify:section:load', (event) => boot(event.target));
})();
