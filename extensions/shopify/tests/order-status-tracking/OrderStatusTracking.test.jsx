import {render} from 'preact';
import {describe, expect, it} from 'vitest';
import {OrderStatusTracking, orderStatusRequestUrl} from '../../order-status-tracking/src/OrderStatusTracking.jsx';
import {TrackingWidget} from '../../order-status-tracking/src/TrackingWidget.jsx';
import {TRACKING_STATUSES} from '../../shared/tracking-status.js';
import {createTranslator} from '../../shared/translator.js';
import {fakeApi, fakeI18n, jsonResponse, postedEvents, readLocale, sampleOffer, stubFetch} from '../support/fake-shopify.js';
import {mount, settle} from '../support/render.js';

const APP_URL = 'https://encore.example.com';

const tracking = {
  status: 'in_transit',
  shipments: [
    {
      carrier: 'UPS',
      tracking_number: '1Z999AA10123456784',
      tracking_url: 'https://www.ups.com/track?tracknum=1Z999AA10123456784',
      status: 'in_transit',
      estimated_delivery: '2026-11-20',
      events: [
        {at: '2026-11-16T08:00:00Z', status: 'confirmed', message: 'Label created', location: null},
        {at: '2026-11-18T14:30:00Z', status: 'in_transit', message: 'Arrived at facility', location: 'Louisville, KY'},
        {at: '2026-11-17T09:15:00Z', status: 'in_transit', message: '', location: 'Atlanta, GA'},
      ],
    },
    {
      carrier: 'USPS',
      tracking_number: '9400100000000000000000',
      tracking_url: null,
      status: 'delivered',
      estimated_delivery: null,
      events: [],
    },
  ],
};

function orderStatusApi(overrides = {}) {
  return fakeApi({
    extension: 'order-status-tracking',
    settings: {app_url: APP_URL},
    order: {id: 'gid://shopify/Order/820982911946154508', name: '#1001'},
    ...overrides,
  });
}

async function renderOrderStatus({api = orderStatusApi(), answer} = {}) {
  const fetchMock = stubFetch(answer ?? jsonResponse({impression_id: 'imp_7', offers: [sampleOffer()], tracking}));
  const container = await mount(<OrderStatusTracking api={api} />);
  await settle();
  return {container, fetchMock};
}

const texts = (root, selector) => [...root.querySelectorAll(selector)].map((node) => node.textContent);

describe('order-status request', () => {
  it('asks for the order by its Order gid with the session token', async () => {
    const {fetchMock} = await renderOrderStatus();
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe(`${APP_URL}/api/storefront/order-status?order_id=gid%3A%2F%2Fshopify%2FOrder%2F820982911946154508`);
    expect(init.headers.Authorization).toBe('Bearer session-token');
    expect(init.headers.Accept).toBe('application/json');
  });

  it('waits for the order', async () => {
    expect(orderStatusRequestUrl(APP_URL, undefined)).toBeNull();
    const {container, fetchMock} = await renderOrderStatus({api: orderStatusApi({order: undefined})});
    expect(fetchMock).not.toHaveBeenCalled();
    expect(container.innerHTML).toBe('');
  });
});

describe('tracking widget', () => {
  it('shows the overall status, shipments, tracking link, delivery estimate and timeline', async () => {
    const {container} = await renderOrderStatus();
    const section = container.querySelector('s-section[heading="Track your order"]');
    expect(section).not.toBeNull();
    expect(section.textContent).toContain('Order status:');
    expect(section.querySelector('s-badge').textContent).toBe('In transit');
    expect(section.textContent).toContain('Shipment 1 of 2');
    expect(section.textContent).toContain('Carrier: UPS');

    const link = section.querySelector('s-link');
    expect(link.textContent).toBe('1Z999AA10123456784');
    expect(link.getAttribute('href')).toBe('https://www.ups.com/track?tracknum=1Z999AA10123456784');
    expect(section.textContent).toContain('Estimated delivery: Nov 20, 2026');

    // USPS has no tracking URL: the number is plain text, and no events yet.
    expect(section.querySelectorAll('s-link')).toHaveLength(1);
    expect(section.textContent).toContain('9400100000000000000000');
    expect(section.textContent).toContain('No tracking updates yet.');
    expect(texts(section, 's-badge')).toEqual(['In transit', 'In transit', 'Delivered']);
  });

  it('lists events newest first with time, message and location', async () => {
    const {container} = await renderOrderStatus();
    const items = [...container.querySelectorAll('s-list-item')].map((item) => texts(item, 's-text'));
    expect(items).toEqual([
      ['Arrived at facility', 'Nov 18, 2026, 2:30 PM · Louisville, KY'],
      ['In transit', 'Nov 17, 2026, 9:15 AM · Atlanta, GA'],
      ['Label created', 'Nov 16, 2026, 8:00 AM'],
    ]);
  });

  it('has a translated label for every TrackingStatus, in English and French', () => {
    for (const [file, unknown] of [['en.default.json', 'Status unavailable'], ['fr.json', 'Statut indisponible']]) {
      const t = createTranslator(fakeI18n(readLocale('order-status-tracking', file)));
      const labels = new Set();
      for (const status of TRACKING_STATUSES) {
        const {container} = renderWidget({status, shipments: []}, t);
        const label = container.querySelector('s-badge').textContent;
        expect(label).not.toBe(unknown);
        labels.add(label);
      }
      expect(labels.size).toBe(TRACKING_STATUSES.length);
      expect(renderWidget({status: 'teleported', shipments: []}, t).container.querySelector('s-badge').textContent).toBe(unknown);
    }
  });

  it('speaks French', async () => {
    const {container} = await renderOrderStatus({api: orderStatusApi({localeFile: 'fr.json', locale: 'fr-FR'})});
    expect(container.querySelector('s-section[heading="Suivre votre commande"]')).not.toBeNull();
    expect(container.querySelector('s-badge').textContent).toBe('En transit');
    expect(container.textContent).toContain('Expédition 1 sur 2');
    expect(container.textContent).toContain('Livraison estimée : 20 nov. 2026');
  });
});

/** The widget alone, rendered synchronously: it has no effects. */
function renderWidget(data, t) {
  const container = document.createElement('div');
  render(<TrackingWidget tracking={data} t={t} i18n={undefined} />, container);
  return {container};
}

describe('offers on the order status page', () => {
  it('shows the offers below the tracking widget and records views', async () => {
    const {container, fetchMock} = await renderOrderStatus();
    const sections = container.querySelectorAll('s-section');
    expect(sections).toHaveLength(2);
    expect(sections[1].querySelector('s-heading').textContent).toBe('You might also like');
    const button = sections[1].querySelector('s-button');
    expect(button.textContent).toBe('Add to new order');
    expect(button.getAttribute('href')).toBe(sampleOffer().cart_url);
    expect(postedEvents(fetchMock).map((event) => event.body)).toEqual([{impression_id: 'imp_7', offer_id: 'off_1', type: 'view'}]);
  });

  it('leaves the offers out when the merchant turned them off', async () => {
    const api = orderStatusApi({settings: {app_url: APP_URL, show_offers: false}});
    const {container, fetchMock} = await renderOrderStatus({api});
    expect(container.querySelectorAll('s-section')).toHaveLength(1);
    expect(container.querySelector('s-button')).toBeNull();
    expect(postedEvents(fetchMock)).toEqual([]);
  });

  it('shows only offers when there is no tracking yet', async () => {
    const {container} = await renderOrderStatus({answer: jsonResponse({impression_id: 'imp', offers: [sampleOffer()], tracking: null})});
    expect(container.querySelector('s-badge').textContent).toBe('10% off');
    expect(container.textContent).not.toContain('Track your order');
  });
});

describe('order status renders nothing', () => {
  const cases = {
    'on a 404 (another customer)': jsonResponse({error: {code: 'not_found'}}, 404),
    'on a 503': jsonResponse({}, 503),
    'on a network error': new TypeError('Failed to fetch'),
    'on a malformed body': jsonResponse('nope'),
    'without tracking or offers': jsonResponse({impression_id: 'imp', offers: [], tracking: null}),
  };
  for (const [name, answer] of Object.entries(cases)) {
    it(name, async () => {
      const {container} = await renderOrderStatus({answer});
      expect(container.innerHTML).toBe('');
    });
  }
});

describe('after delivery: window, problems, returns and support, feedback', () => {
  const FEEDBACK_URL = `${APP_URL}/api/storefront/feedback/tok_123`;
  const aftercare = {
    status: 'delivered',
    shipments: [
      {
        ...tracking.shipments[0],
        status: 'in_transit',
        estimate: {earliest: '2026-11-24T12:00:00Z', likely: '2026-11-25T12:00:00Z', latest: '2026-11-26T12:00:00Z', source: 'store_history'},
        exception: 'stalled',
      },
    ],
    help: {
      returns_url: 'https://fresh-grocer.example/returns',
      returns_text: 'Free returns within 30 days.',
      support_url: null,
      support_email: 'help@fresh-grocer.example',
    },
    feedback: {enabled: true, submitted: false, rating: null, url: FEEDBACK_URL},
  };

  const answer = (extra = {}) =>
    jsonResponse({impression_id: 'imp_9', offers: [], tracking: {...aftercare, ...extra}});

  it('shows the delivery window and the parcel problem', async () => {
    const {container} = await renderOrderStatus({answer: answer()});
    expect(container.textContent).toContain('Estimated delivery: Nov 24, 2026 – Nov 26, 2026');
    const banner = container.querySelector('s-banner');
    expect(banner.getAttribute('tone')).toBe('warning');
    expect(banner.textContent).toBe("This parcel hasn't moved for a few days. We're keeping an eye on it.");
  });

  it('shows the returns policy and support contact', async () => {
    const {container} = await renderOrderStatus({answer: answer()});
    expect(container.textContent).toContain('Free returns within 30 days.');
    const links = [...container.querySelectorAll('s-link')].map((link) => [link.textContent, link.getAttribute('href')]);
    expect(links).toContainEqual(['Start a return', 'https://fresh-grocer.example/returns']);
    expect(links).toContainEqual(['help@fresh-grocer.example', 'mailto:help@fresh-grocer.example']);
  });

  it('sends a rating and comment once, then thanks the buyer', async () => {
    const {container, fetchMock} = await renderOrderStatus({answer: answer()});
    expect(container.textContent).toContain('How did we do?');
    const buttons = () => [...container.querySelectorAll('s-button')];
    const submit = () => buttons().find((button) => button.textContent === 'Send feedback');
    expect(submit().hasAttribute('disabled') || submit().disabled).toBe(true);

    buttons().find((button) => button.textContent === '★★★★').click();
    await settle();
    const area = container.querySelector('s-text-area');
    area.value = '  Arrived fresh  ';
    area.dispatchEvent(new Event('input'));
    await settle();
    submit().click();
    await settle();

    const posts = fetchMock.mock.calls.filter(([url]) => url === FEEDBACK_URL);
    expect(posts).toHaveLength(1);
    expect(JSON.parse(posts[0][1].body)).toEqual({rating: 4, comment: 'Arrived fresh'});
    expect(posts[0][1].headers.Authorization).toBeUndefined();
    expect(container.textContent).toContain('Thank you for your feedback!');
    expect(container.textContent).not.toContain('Send feedback');
  });

  it('says so when the feedback could not be sent', async () => {
    // Events POST fine; the feedback endpoint is down.
    stubFetch(answer()).mockImplementation(async (url, init = {}) => {
      if (url === FEEDBACK_URL) return jsonResponse({}, 503);
      if ((init.method ?? 'GET') === 'POST') return {ok: true, status: 204, json: async () => ({})};
      return answer();
    });
    const container = await mount(<OrderStatusTracking api={orderStatusApi()} />);
    await settle();
    [...container.querySelectorAll('s-button')].find((button) => button.textContent === '★★★★★').click();
    await settle();
    [...container.querySelectorAll('s-button')].find((button) => button.textContent === 'Send feedback').click();
    await settle();
    expect(container.textContent).toContain("Your feedback couldn't be sent. Please try again.");
  });

  it('hides the form when feedback was given or is not wanted', async () => {
    const given = await renderOrderStatus({answer: answer({feedback: {...aftercare.feedback, submitted: true, rating: 5}})});
    expect(given.container.textContent).toContain('Thank you for your feedback!');
    const off = await renderOrderStatus({answer: answer({feedback: {...aftercare.feedback, enabled: false}})});
    expect(off.container.textContent).not.toContain('How did we do?');
  });

  it('speaks French here too', async () => {
    const {container} = await renderOrderStatus({
      api: orderStatusApi({localeFile: 'fr.json', locale: 'fr-FR'}),
      answer: answer(),
    });
    expect(container.textContent).toContain('Votre avis compte');
    expect(container.textContent).toContain('Retourner un article');
    expect(container.textContent).toContain('entre le 24 nov. 2026 et le 26 nov. 2026');
  });
});
