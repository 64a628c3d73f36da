import {afterEach, describe, expect, it} from 'vitest';
import {jsonResponse, postedEvents, sampleOffer, stubFetch} from '../support/fake-shopify.js';
import {loadAsset, renderBlock} from '../support/theme.js';

const cart = {items: [{product_id: 111}, {product_id: 222}, {product_id: 111}]};
const offers = [
  sampleOffer(),
  sampleOffer({offer_id: 'off_2', title: 'Beeswax Candle', image_url: null, compare_at_price: null, discount_percent: 0}),
  sampleOffer({offer_id: 'off_3', title: 'Honey Dipper'}),
];

const root = () => document.querySelector('[data-encore-offers]');
const cards = () => [...document.querySelectorAll('.encore-offer')];

afterEach(() => {
  document.body.innerHTML = '';
  delete window.EncoreOffers;
});

async function showBlock({answer = jsonResponse({impression_id: 'imp_9', offers, tracking: null}), ...context} = {}) {
  const fetchMock = stubFetch(answer);
  loadAsset('encore-offers.js', await renderBlock('recommended-offers', {cart, ...context}));
  await root().encoreReady;
  return fetchMock;
}

describe('recommended offers block', () => {
  it("asks the app proxy for offers for the cart's products", async () => {
    const fetchMock = await showBlock();
    expect(fetchMock.mock.calls[0]).toEqual([
      '/apps/encore/offers?product_ids=111%2C222&limit=3',
      {headers: {Accept: 'application/json'}, credentials: 'same-origin'},
    ]);
  });

  it('renders cards with image, title, price, struck compare-at price, badge and a buy link', async () => {
    await showBlock({settings: {accent_color: '#005500'}});
    expect(root().hidden).toBe(false);
    expect(root().getAttribute('style')).toContain('--encore-accent: #005500');
    expect(document.querySelector('.encore-heading').textContent).toBe('You might also like');
    expect(cards().map((card) => card.querySelector('.encore-offer-title').textContent)).toEqual([
      'Organic Honey', 'Beeswax Candle', 'Honey Dipper',
    ]);

    const [first, second] = cards();
    const image = first.querySelector('img.encore-offer-image');
    expect(image.getAttribute('src')).toBe(sampleOffer().image_url);
    expect(image.getAttribute('alt')).toBe('Organic Honey');
    expect(first.querySelector('.encore-price').textContent).toBe('$19.00');
    expect(first.querySelector('s.encore-compare-at').textContent).toBe('$25.00');
    expect(first.querySelector('.encore-badge').textContent).toBe('10% off');
    const link = first.querySelector('a.encore-button');
    expect(link.textContent).toBe('Buy now');
    expect(link.getAttribute('href')).toBe(sampleOffer().cart_url);

    expect(second.classList.contains('encore-offer--text')).toBe(true);
    expect(second.querySelector('img, s, .encore-badge')).toBeNull();
  });

  it('honours max items and the badge setting', async () => {
    const fetchMock = await showBlock({settings: {max_items: 2, show_discount_badge: false}});
    expect(fetchMock.mock.calls[0][0]).toBe('/apps/encore/offers?product_ids=111%2C222&limit=2');
    expect(cards()).toHaveLength(2);
    expect(document.querySelector('.encore-badge')).toBeNull();
  });

  it('records views and clicks through the app proxy', async () => {
    const fetchMock = await showBlock({settings: {max_items: 2}});
    cards()[1].querySelector('a.encore-button').dispatchEvent(new MouseEvent('click', {cancelable: true}));
    const events = postedEvents(fetchMock);
    expect(events.map((event) => event.url)).toEqual(Array(3).fill('/apps/encore/events'));
    expect(events.map((event) => event.body)).toEqual([
      {impression_id: 'imp_9', offer_id: 'off_1', type: 'view'},
      {impression_id: 'imp_9', offer_id: 'off_2', type: 'view'},
      {impression_id: 'imp_9', offer_id: 'off_2', type: 'click'},
    ]);
  });

  it('works without a cart: the proxy knows the logged-in customer', async () => {
    const fetchMock = await showBlock({cart: {items: []}});
    expect(fetchMock.mock.calls[0][0]).toBe('/apps/encore/offers?limit=3');
  });

  it('speaks French', async () => {
    await showBlock({localeFile: 'fr.json', request: {locale: {iso_code: 'fr'}}});
    expect(document.querySelector('.encore-heading').textContent).toBe('Vous aimerez aussi');
    expect(document.querySelector('a.encore-button').textContent).toBe('Acheter maintenant');
    expect(document.querySelector('.encore-badge').textContent).toBe('10 % de réduction');
    expect(document.querySelector('.encore-price').textContent).toMatch(/^19,00\s\$\s?US$/);
  });

  it('keeps server strings as text and drops unsafe links', async () => {
    const hostile = [
      sampleOffer({title: '<img src=x onerror=alert(1)>', image_url: 'javascript:alert(1)'}),
      sampleOffer({offer_id: 'bad', cart_url: 'javascript:alert(1)'}),
    ];
    await showBlock({answer: jsonResponse({impression_id: 'i', offers: hostile})});
    expect(cards()).toHaveLength(1);
    expect(document.querySelector('.encore-offer-list img')).toBeNull();
    expect(document.querySelector('.encore-offer-title').textContent).toBe('<img src=x onerror=alert(1)>');
  });

  const nothing = {
    'a 401 (bad proxy signature)': jsonResponse({}, 401),
    'a 500': jsonResponse({}, 500),
    'a network error': new TypeError('offline'),
    'a body that is not JSON offers': jsonResponse({offers: 'none'}),
    'no offers': jsonResponse({impression_id: 'i', offers: []}),
  };
  for (const [name, answer] of Object.entries(nothing)) {
    it(`stays hidden on ${name}`, async () => {
      const fetchMock = await showBlock({answer});
      expect(root().hidden).toBe(true);
      expect(cards()).toHaveLength(0);
      expect(postedEvents(fetchMock)).toEqual([]);
    });
  }
});

describe('EncoreOffers helpers', () => {
  it('keeps only numeric product ids and bounds the limit', () => {
    loadAsset('encore-offers.js', '');
    const {offersUrl, formatMoney} = window.EncoreOffers;
    expect(offersUrl('/apps/encore/offers', '1, 2,x,3&a=b', '9')).toBe('/apps/encore/offers?product_ids=1%2C2&limit=3');
    expect(offersUrl('/apps/encore/offers', '', '0')).toBe('/apps/encore/offers?limit=1');
    expect(formatMoney('5', 'EUR', 'de-DE')).toMatch(/^5,00\s€$/);
    expect(formatMoney('abc', 'EUR', 'en')).toBeNull();
    expect(formatMoney('5', 'euros', 'en')).toBe('5.00');
  });
});
