// Thank-you page: offers Encore picked for this order, bought as a new checkout.

import {useMemo} from 'preact/hooks';
import {readOfferSettings} from '../../shared/extension-settings.js';
import {useStorefront, useSubscribable} from '../../shared/hooks.js';
import {LoadingSkeleton, OfferList} from '../../shared/OfferList.jsx';
import {orderIdParam, productIdsFromLines} from '../../shared/shopify-ids.js';
import {createEventRecorder, thankYouUrl} from '../../shared/storefront-api.js';
import {createTranslator} from '../../shared/translator.js';

/** The request URL for this order, or null while the order id is unknown. */
export function thankYouRequestUrl(appUrl, confirmation, lines) {
  const orderId = orderIdParam(confirmation?.order?.id);
  if (!orderId) return null;
  return thankYouUrl(appUrl, {orderId, productIds: productIdsFromLines(lines)});
}

export function ThankYouOffers({api}) {
  const settings = readOfferSettings(useSubscribable(api.settings));
  const confirmation = useSubscribable(api.orderConfirmation);
  const lines = useSubscribable(api.lines);
  const t = createTranslator(api.i18n);

  const url = thankYouRequestUrl(settings.appUrl, confirmation, lines);
  const {status, data} = useStorefront(api.sessionToken, url);
  const impressionId = data?.impressionId ?? null;
  const recordEvent = useMemo(
    () => createEventRecorder({appUrl: settings.appUrl, sessionToken: api.sessionToken, impressionId}),
    [settings.appUrl, impressionId],
  );

  if (status === 'loading') return <LoadingSkeleton label={t('offers.loading')} />;
  if (status !== 'ready' || data.offers.length === 0) return null;

  return (
    <OfferList
      heading={settings.heading ?? t('offers.heading')}
      offers={data.offers}
      maxOffers={settings.maxOffers}
      recordEvent={recordEvent}
      t={t}
      i18n={api.i18n}
      showDiscountBadge={settings.showDiscountBadge}
    />
  );
}
