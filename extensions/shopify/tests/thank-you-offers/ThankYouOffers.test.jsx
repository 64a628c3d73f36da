import {describe, expect, it} from 'vitest';
import {ThankYouOffers, thankYouRequestUrl} from '../../thank-you-offers/src/ThankYouOffers.jsx';
import {fakeApi, jsonResponse, postedEvents, sampleOffer, stubFetch} from '../support/fake-shopify.js';
import {mount, settle} from '../support/render.js';

const APP_URL = 'https://encore.example.com';
const ORDER_GID = 'gid://shopify/OrderIdentity/5881974834746';

function thankYouApi(overrides = {}) {
  return fakeApi({
    extension: 'thank-you-offers',
    settings: {app_url: APP_URL},
    orderConfirmation: {order: {id: ORDER_GID}, number: 'ABC123', isFirstOrder: false},
    lines: [
      {id: 'gid://shopify/CartLine/1', merchandise: {product: {id: 'gid://shopify/Product/111'}}},
      {id: 'gid://shopify/CartLine/2', merchandise: {product: {id: 'gid://shopify/Product/222'}}},
      {id: 'gid://shopify/CartLine/3', merchandise: {product: {id: 'gid://shopify/Product/111'}}},
    ],
    ...overrides,
  });
}

const threeOffers = {
  impression_id: 'imp_42',
  offers: [
    sampleOffer(),
    sampleOffer({offer_id: 'off_2', title: 'Beeswax Candle', compare_at_price: null, discount_percent: 0, image_url: null}),
    sampleOffer({offer_id: 'off_3', title: 'Honey Dipper'}),
  ],
  tracking: null,
};

async function renderThankYou({api = thankYouApi(), answer = jsonResponse(threeOffers)} = {}) {
  const fetchMock = stubFetch(answer);
  const container = await mount(<ThankYouOffers api={api} />);
  await settle();
  return {container, fetchMock, api};
}

const texts = (container, selector) => [...container.querySelectorAll(selector)].map((node) => node.textContent);

describe('thank-you request', () => {
  it('sends the OrderIdentity gid and the numeric product ids of the order lines', async () => {
    const {fetchMock} = await renderThankYou();
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe(
      `${APP_URL}/api/storefront/thank-you?order_id=gid%3A%2F%2Fshopify%2FOrderIdentity%2F5881974834746&product_ids=111,222`,
    );
    expect(init.method).toBe('GET');
    expect(init.headers.Authorization).toBe('Bearer session-token');
  });

  it('builds no URL before the order id is known', () => {
    expect(thankYouRequestUrl(APP_URL, undefined, [])).toBeNull();
    expect(thankYouRequestUrl(APP_URL, {order: {id: 'gid://shopify/Product/1'}}, [])).toBeNull();
  });

  it('omits product_ids when the order has no product lines', () => {
    expect(thankYouRequestUrl(APP_URL, {order: {id: ORDER_GID}}, [])).toBe(
      `${APP_URL}/api/storefront/thank-you?order_id=gid%3A%2F%2Fshopify%2FOrderIdentity%2F5881974834746`,
    );
  });

  it('falls back to the built-in URL when the merchant set none', async () => {
    const {fetchMock} = await renderThankYou({api: thankYouApi({settings: {}})});
    expect(fetchMock.mock.calls[0][0]).toMatch(/^http:\/\/localhost:8000\/api\/storefront\/thank-you\?/);
  });
});

describe('thank-you offers', () => {
  it('shows a skeleton while the offers load', async () => {
    stubFetch(() => new Promise(() => {}));
    const container = await mount(<ThankYouOffers api={thankYouApi()} />);
    await settle();
    expect(container.querySelectorAll('s-skeleton-paragraph').length).toBeGreaterThan(0);
    expect(container.querySelector('s-button')).toBeNull();
  });

  it('renders up to three offers with image, title, price, struck compare-at price and badge', async () => {
    const {container} = await renderThankYou();
    expect(container.querySelector('s-skeleton-paragraph')).toBeNull();
    expect(container.querySelector('s-heading').textContent).toBe('You might also like');
    expect(texts(container, 's-text[type="strong"]')).toEqual(['Organic Honey', 'Beeswax Candle', 'Honey Dipper']);

    const image = container.querySelector('s-image');
    expect(image.getAttribute('src')).toBe('https://cdn.shopify.com/s/files/honey.jpg');
    expect(image.getAttribute('alt')).toBe('Organic Honey');
    expect(container.querySelectorAll('s-image')).toHaveLength(2);

    expect(container.textContent).toContain('$19.00');
    expect(texts(container, 's-text[type="redundant"]')).toEqual(['$25.00', '$25.00']);
    expect(texts(container, 's-badge')).toEqual(['10% off', '10% off']);

    const buttons = container.querySelectorAll('s-button');
    expect(buttons).toHaveLength(3);
    expect(buttons[0].textContent).toBe('Add to new order');
    expect(buttons[0].getAttribute('href')).toBe(sampleOffer().cart_url);
  });

  it('shows no more offers than max_offers and uses the merchant heading', async () => {
    const api = thankYouApi({settings: {app_url: APP_URL, max_offers: 2, heading: 'Treat yourself'}});
    const {container} = await renderThankYou({api});
    expect(container.querySelector('s-heading').textContent).toBe('Treat yourself');
    expect(container.querySelectorAll('s-button')).toHaveLength(2);
  });

  it('hides the discount badge when the merchant turned it off', async () => {
    const api = thankYouApi({settings: {app_url: APP_URL, show_discount_badge: false}});
    const {container} = await renderThankYou({api});
    expect(container.querySelector('s-badge')).toBeNull();
    expect(container.textContent).not.toContain('% off');
  });

  it('renders the buyer language from the locale files', async () => {
    const api = thankYouApi({localeFile: 'fr.json', locale: 'fr-FR'});
    const {container} = await renderThankYou({api});
    expect(container.querySelector('s-heading').textContent).toBe('Vous aimerez aussi');
    expect(container.querySelector('s-button').textContent).toBe('Ajouter à une nouvelle commande');
    expect(container.querySelector('s-badge').textContent).toBe('10 % de réduction');
    expect(container.textContent).toMatch(/19,00\s\$US/);
  });

  it('keeps server strings as text', async () => {
    const hostile = {impression_id: 'imp', offers: [sampleOffer({title: '<img src=x onerror=alert(1)>'})]};
    const {container} = await renderThankYou({answer: jsonResponse(hostile)});
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('s-text[type="strong"]').textContent).toBe('<img src=x onerror=alert(1)>');
  });
});

describe('thank-you events', () => {
  it('records one view per offer shown, once, with the bearer token', async () => {
    const api = thankYouApi({settings: {app_url: APP_URL, max_offers: 2}});
    const {fetchMock} = await renderThankYou({api});
    api.settings.set({app_url: APP_URL, max_offers: 2, heading: 'Re-rendered'});
    await settle();

    const events = postedEvents(fetchMock);
    expect(events.map((event) => event.body)).toEqual([
      {impression_id: 'imp_42', offer_id: 'off_1', type: 'view'},
      {impression_id: 'imp_42', offer_id: 'off_2', type: 'view'},
    ]);
    expect(events[0].url).toBe(`${APP_URL}/api/storefront/events`);
    expect(events[0].headers.Authorization).toBe('Bearer session-token');
    expect(events[0].headers['Content-Type']).toBe('application/json');
  });

  it('records a click on "Add to new order"', async () => {
    const {container, fetchMock} = await renderThankYou();
    container.querySelectorAll('s-button')[2].click();
    await settle();
    expect(postedEvents(fetchMock).at(-1).body).toEqual({impression_id: 'imp_42', offer_id: 'off_3', type: 'click'});
  });

  it('hides a dismissed offer and records the dismissal', async () => {
    const {container, fetchMock} = await renderThankYou();
    container.querySelector('s-link').click();
    await settle();
    expect(texts(container, 's-text[type="strong"]')).toEqual(['Beeswax Candle', 'Honey Dipper']);
    expect(postedEvents(fetchMock).at(-1).body).toEqual({impression_id: 'imp_42', offer_id: 'off_1', type: 'dismiss'});
  });
});

describe('thank-you renders nothing', () => {
  const cases = {
    'a 401': jsonResponse({error: {code: 'unauthorized'}}, 401),
    'a 404 (order of another shop)': jsonResponse({error: {code: 'not_found'}}, 404),
    'a 500': jsonResponse({}, 500),
    'a network error': new TypeError('Failed to fetch'),
    'a body without offers': jsonResponse({impression_id: 'imp'}),
    'no offers': jsonResponse({impression_id: 'imp', offers: [], tracking: null}),
    'only unusable offers': jsonResponse({impression_id: 'imp', offers: [sampleOffer({cart_url: 'javascript:alert(1)'})]}),
  };
  for (const [name, answer] of Object.entries(cases)) {
    it(`on ${name}`, async () => {
      const {container, fetchMock} = await renderThankYou({answer});
      expect(container.innerHTML).toBe('');
      expect(postedEvents(fetchMock)).toEqual([]);
    });
  }

  it('when there is no session token', async () => {
    const api = thankYouApi({token: ''});
    const {container} = await renderThankYou({api});
    expect(container.innerHTML).toBe('');
  });
});
