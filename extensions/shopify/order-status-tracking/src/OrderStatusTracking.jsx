// Order status page (customer accounts): Encore's tracking widget, then offers.

import {useMemo} from 'preact/hooks';
import {readOfferSettings} from '../../shared/extension-settings.js';
import {useStorefront, useSubscribable} from '../../shared/hooks.js';
import {LoadingSkeleton, OfferList} from '../../shared/OfferList.jsx';
import {orderIdParam} from '../../shared/shopify-ids.js';
import {createEventRecorder, orderStatusUrl} from '../../shared/storefront-api.js';
import {createTranslator} from '../../shared/translator.js';
import {FeedbackForm} from './FeedbackForm.jsx';
import {HelpLinks} from './HelpLinks.jsx';
import {TrackingWidget} from './TrackingWidget.jsx';

/** The request URL for this order (`gid://shopify/Order/N`), or null while unknown. */
export function orderStatusRequestUrl(appUrl, order) {
  const orderId = orderIdParam(order?.id);
  return orderId ? orderStatusUrl(appUrl, {orderId}) : null;
}

export function OrderStatusTracking({api}) {
  const settings = readOfferSettings(useSubscribable(api.settings));
  const order = useSubscribable(api.order);
  const t = createTranslator(api.i18n);

  const url = orderStatusRequestUrl(settings.appUrl, order);
  const {status, data} = useStorefront(api.sessionToken, url);
  const impressionId = data?.impressionId ?? null;
  const recordEvent = useMemo(
    () => createEventRecorder({appUrl: settings.appUrl, sessionToken: api.sessionToken, impressionId}),
    [settings.appUrl, impressionId],
  );

  if (status === 'loading') return <LoadingSkeleton label={t('tracking.loading')} />;
  if (status !== 'ready') return null;

  const tracking = data.tracking;
  const offers = settings.showOffers ? data.offers : [];
  if (!tracking && offers.length === 0) return null;

  return (
    <s-stack gap="large">
      {tracking ? (
        <s-section heading={settings.trackingHeading ?? t('tracking.heading')}>
          <s-stack gap="base">
            <TrackingWidget tracking={tracking} t={t} i18n={api.i18n} />
            <FeedbackForm feedback={tracking.feedback} t={t} />
            <HelpLinks help={tracking.help} t={t} />
          </s-stack>
        </s-section>
      ) : null}
      {offers.length > 0 ? (
        <s-section>
          <OfferList
            heading={settings.heading ?? t('offers.heading')}
            offers={offers}
            maxOffers={settings.maxOffers}
            recordEvent={recordEvent}
            t={t}
            i18n={api.i18n}
            showDiscountBadge={settings.showDiscountBadge}
            linkTarget="_blank"
          />
        </s-section>
      ) : null}
    </s-stack>
  );
}
