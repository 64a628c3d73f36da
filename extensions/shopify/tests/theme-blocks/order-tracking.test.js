import {afterEach, describe, expect, it, vi} from 'vitest';
import {jsonResponse, stubFetch} from '../support/fake-shopify.js';
import {loadAsset, renderBlock} from '../support/theme.js';

const tracking = {
  status: 'out_for_delivery',
  shipments: [
    {
      carrier: 'Canada Post',
      tracking_number: '7023210039414604',
      tracking_url: 'https://www.canadapost-postescanada.ca/track?pin=7023210039414604',
      status: 'out_for_delivery',
      estimated_delivery: '2026-11-21',
      events: [
        {at: '2026-11-19T10:00:00Z', status: 'in_transit', message: 'Departed facility', location: 'Montréal, QC'},
        {at: '2026-11-21T07:45:00Z', status: 'out_for_delivery', message: null, location: 'Ottawa, ON'},
      ],
    },
  ],
};

const body = {impression_id: 'imp', offers: [], tracking};
// What the backend's /proxy/tracking answers a logged-in shopper (newest first).
const recentOrders = {
  orders: [
    {order_name: '#1003', placed_at: '2026-11-18T10:00:00Z', tracking},
    {order_name: '#1002', placed_at: '2026-11-02T10:00:00Z', tracking: {status: 'delivered', shipments: []}},
    {order_name: '#1001', placed_at: '2026-10-02T10:00:00Z', tracking: null},
  ],
};
const customer = {id: 207119551};

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const root = () => document.querySelector('[data-encore-tracking]');
const result = () => document.querySelector('[data-encore-result]');
const moment = (iso) => new Intl.DateTimeFormat('en', {dateStyle: 'medium', timeStyle: 'short'}).format(new Date(iso));

afterEach(() => {
  document.body.innerHTML = '';
  delete window.EncoreTracking;
});

async function submitLookup(number, email) {
  const form = document.querySelector('[data-encore-lookup]');
  form.elements.order.value = number;
  form.elements.email.value = email;
  form.dispatchEvent(new Event('submit', {cancelable: true, bubbles: true}));
  for (let i = 0; i < 4; i += 1) await flush(); // eslint-disable-line no-await-in-loop
}

describe('order tracking block, logged out', () => {
  it('renders a lookup form, the accent colour and valid translations', async () => {
    const html = await renderBlock('order-tracking', {settings: {accent_color: '#aa3300'}});
    loadAsset('encore-tracking.js', html);
    expect(root().getAttribute('style')).toContain('--encore-accent: #aa3300');
    expect(document.querySelector('.encore-heading').textContent).toBe('Track your order');
    expect(document.querySelector('[data-encore-lookup] button').textContent).toBe('Track order');
    expect(document.querySelector('.encore-order-list')).toBeNull();
    const i18n = JSON.parse(document.querySelector('[data-encore-i18n]').textContent);
    expect(i18n.shipment_numbered).toBe('Shipment {number} of {total}');
    expect(i18n.status.ready_for_pickup).toBe('Ready for pickup');
  });

  it('looks an order up by number and email through the app proxy and draws the widget', async () => {
    const fetchMock = stubFetch(jsonResponse(body));
    loadAsset('encore-tracking.js', await renderBlock('order-tracking'));
    await submitLookup(' #1001 ', 'ada@example.com');

    expect(fetchMock).toHaveBeenCalledWith('/apps/encore/tracking?order=1001&email=ada%40example.com', {
      headers: {Accept: 'application/json'},
      credentials: 'same-origin',
    });
    const widget = result().querySelector('.encore-tracking-widget');
    expect(widget.querySelector('.encore-status').textContent).toBe('Order status: Out for delivery');
    expect(widget.querySelector('.encore-shipment-title').textContent).toBe('Shipment Out for delivery');
    expect(widget.textContent).toContain('Carrier: Canada Post');
    const link = widget.querySelector('a.encore-link');
    expect(link.textContent).toBe('7023210039414604');
    expect(link.getAttribute('href')).toBe(tracking.shipments[0].tracking_url);
    expect(link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(widget.textContent).toContain('Estimated delivery: Nov 21, 2026');
    const events = [...widget.querySelectorAll('.encore-event')].map((item) => [
      item.querySelector('.encore-event-message').textContent,
      item.querySelector('.encore-event-meta').textContent,
    ]);
    expect(events).toEqual([
      ['Out for delivery', `${moment('2026-11-21T07:45:00Z')} · Ottawa, ON`],
      ['Departed facility', `${moment('2026-11-19T10:00:00Z')} · Montréal, QC`],
    ]);
  });

  it('says so when no order matches or after too many lookups, and says nothing on an error', async () => {
    stubFetch(jsonResponse({error: {code: 'order_not_found'}}, 404));
    loadAsset('encore-tracking.js', await renderBlock('order-tracking'));
    await submitLookup('1001', 'ada@example.com');
    expect(result().textContent).toBe("We couldn't find an order with that number and email.");
    stubFetch(jsonResponse({error: {code: 'too_many_lookups'}}, 429));
    await submitLookup('1001', 'ada@example.com');
    expect(result().textContent).toBe('Too many lookups from your connection. Please wait a few minutes and try again.');

    for (const answer of [jsonResponse({}, 500), new TypeError('offline'), jsonResponse(null)]) {
      stubFetch(answer);
      await submitLookup('1001', 'ada@example.com'); // eslint-disable-line no-await-in-loop
      expect(result().childNodes).toHaveLength(0);
    }
  });

  it('tells the shopper when the order has no tracking yet', async () => {
    stubFetch(jsonResponse({impression_id: 'i', offers: [], tracking: null}));
    loadAsset('encore-tracking.js', await renderBlock('order-tracking'));
    await submitLookup('1001', 'ada@example.com');
    expect(result().textContent).toBe('Your order has no tracking information yet. Check back soon.');
  });

  it('does not ask without both an order number and an email', async () => {
    const fetchMock = stubFetch(jsonResponse(body));
    loadAsset('encore-tracking.js', await renderBlock('order-tracking'));
    const form = document.querySelector('[data-encore-lookup]');
    form.noValidate = true;
    await submitLookup('#', 'ada@example.com');
    await submitLookup('1001', '  ');
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('keeps server strings as text', async () => {
    const hostile = {
      status: 'exception',
      shipments: [{carrier: '<img src=x onerror=alert(1)>', tracking_number: '<b>1</b>', tracking_url: 'javascript:alert(1)',
        events: [{at: '2026-11-01T00:00:00Z', message: '<script>alert(1)</script>', location: '<i>x</i>'}]}],
    };
    stubFetch(jsonResponse({offers: [], tracking: hostile}));
    loadAsset('encore-tracking.js', await renderBlock('order-tracking'));
    await submitLookup('1001', 'ada@example.com');
    expect(result().querySelector('img, b, script, i, a')).toBeNull();
    expect(result().textContent).toContain('Carrier: <img src=x onerror=alert(1)>');
    expect(result().textContent).toContain('<b>1</b>');
    expect(result().querySelector('.encore-badge--critical').textContent).toBe('Delivery problem');
  });
});

describe('order tracking block, logged in', () => {
  it("lists the customer's recent orders from the proxy, up to max items, and shows the newest", async () => {
    const fetchMock = stubFetch(jsonResponse(recentOrders));
    loadAsset('encore-tracking.js', await renderBlock('order-tracking', {customer, settings: {max_items: 2}}));
    await root().encoreReady;

    expect(document.querySelector('[data-encore-lookup]')).toBeNull();
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(fetchMock.mock.calls[0]).toEqual(['/apps/encore/tracking', {headers: {Accept: 'application/json'}, credentials: 'same-origin'}]);
    expect(document.querySelector('.encore-order-list').previousElementSibling.textContent).toBe('Your recent orders');
    const buttons = [...document.querySelectorAll('.encore-order-button')];
    expect(buttons.map((button) => button.querySelector('.encore-order-name').textContent)).toEqual(['#1003', '#1002']);
    const day = new Intl.DateTimeFormat('en', {dateStyle: 'medium'}).format(new Date(recentOrders.orders[0].placed_at));
    expect(buttons[0].querySelector('.encore-order-date').textContent).toBe(day);
    expect(buttons.map((button) => button.getAttribute('aria-pressed'))).toEqual(['true', 'false']);
    expect(result().querySelector('.encore-status').textContent).toBe('Order status: Out for delivery');

    buttons[1].click();
    expect(buttons.map((button) => button.getAttribute('aria-pressed'))).toEqual(['false', 'true']);
    expect(result().querySelector('.encore-status').textContent).toBe('Order status: Delivered');
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it('says when an order has no tracking yet', async () => {
    stubFetch(jsonResponse(recentOrders));
    loadAsset('encore-tracking.js', await renderBlock('order-tracking', {customer}));
    await root().encoreReady;
    document.querySelectorAll('.encore-order-button')[2].click();
    expect(result().textContent).toBe('Your order has no tracking information yet. Check back soon.');
  });

  it('says when the customer has no orders, and nothing on an error', async () => {
    stubFetch(jsonResponse({orders: []}));
    loadAsset('encore-tracking.js', await renderBlock('order-tracking', {customer}));
    await root().encoreReady;
    expect(result().textContent).toBe('You have no orders yet.');

    for (const answer of [jsonResponse({}, 401), new TypeError('offline'), jsonResponse({orders: 'none'})]) {
      stubFetch(answer);
      loadAsset('encore-tracking.js', await renderBlock('order-tracking', {customer})); // eslint-disable-line no-await-in-loop
      await root().encoreReady; // eslint-disable-line no-await-in-loop
      expect(result().childNodes).toHaveLength(0);
      expect(document.querySelector('.encore-order-button')).toBeNull();
    }
  });

  it('speaks French', async () => {
    stubFetch(jsonResponse(recentOrders));
    const html = await renderBlock('order-tracking', {customer, localeFile: 'fr.json', request: {locale: {iso_code: 'fr'}}});
    loadAsset('encore-tracking.js', html);
    await root().encoreReady;
    expect(document.querySelector('.encore-heading').textContent).toBe('Suivre votre commande');
    expect(result().querySelector('.encore-status').textContent).toBe('Statut de la commande : En cours de livraison');
    expect(result().textContent).toContain('Livraison estimée : 21 nov. 2026');
  });
});

describe('order tracking block, quick resubmits', () => {
  it('shows only the answer to the latest lookup', async () => {
    let releaseFirst;
    const first = new Promise((resolve) => {
      releaseFirst = resolve;
    });
    const fetchMock = stubFetch((url) => (url.includes('order=1001') ? first : jsonResponse({offers: [], tracking: null})));
    loadAsset('encore-tracking.js', await renderBlock('order-tracking'));
    await submitLookup('1001', 'ada@example.com');
    await submitLookup('1002', 'ada@example.com');
    expect(result().textContent).toBe('Your order has no tracking information yet. Check back soon.');
    releaseFirst(jsonResponse(body));
    await flush();
    await flush();
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(result().textContent).toBe('Your order has no tracking information yet. Check back soon.');
  });
});

describe('EncoreTracking helpers', () => {
  it('builds lookup URLs and refuses incomplete ones', () => {
    loadAsset('encore-tracking.js', '');
    const {lookupUrl, statusLabel, fill, eventsNewestFirst} = window.EncoreTracking;
    expect(lookupUrl('/apps/encore/tracking', ' #A-1 0', 'a+b@c.d')).toBe('/apps/encore/tracking?order=A-1+0&email=a%2Bb%40c.d');
    expect(lookupUrl('/apps/encore/tracking', '1001', '')).toBeNull();
    expect(lookupUrl('/apps/encore/tracking', '#', 'a@b.c')).toBeNull();
    expect(statusLabel('toString', {status: {unknown: '?'}})).toBe('?');
    expect(statusLabel('returned', {status: {returned: 'Returned', unknown: '?'}})).toBe('Returned');
    expect(fill('Shipment {number} of {total} {other}', {number: 1, total: 2})).toBe('Shipment 1 of 2 {other}');
    const events = [{at: 'soon', message: 'x'}, {at: '2026-01-01T00:00:00Z', message: 'a'}, {at: '2026-02-01T00:00:00Z', message: 'b'}, {message: 'y'}];
    expect(eventsNewestFirst(events).map((event) => event.message)).toEqual(['b', 'a', 'x', 'y']);
  });
});
