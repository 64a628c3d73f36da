// One offer: image, title, price (compare-at struck through), discount badge, and the
// button that opens the cart permalink as a new checkout.

import {formatMoney, hasCompareAtPrice} from './money.js';

export function OfferCard({offer, t, i18n, showDiscountBadge, linkTarget = 'auto', onAdd, onDismiss}) {
  const price = formatMoney(offer.price, offer.currency, {i18n});
  const compareAt = hasCompareAtPrice(offer) ? formatMoney(offer.compare_at_price, offer.currency, {i18n}) : null;
  const badge = showDiscountBadge && offer.discount_percent ? t('offers.discount_badge', {percent: offer.discount_percent}) : null;

  return (
    <s-grid gridTemplateColumns={offer.image_url ? '80px 1fr' : '1fr'} gap="base" alignItems="center">
      {offer.image_url ? (
        <s-image src={offer.image_url} alt={offer.title} aspectRatio="1" objectFit="cover" borderRadius="base" />
      ) : null}
      <s-stack gap="small-200">
        <s-text type="strong">{offer.title}</s-text>
        {price || compareAt || badge ? (
          <s-stack direction="inline" gap="small-200" alignItems="center">
            {price ? <s-text>{price}</s-text> : null}
            {compareAt ? (
              <s-text color="subdued">
                <s-text accessibilityVisibility="exclusive">{t('offers.compare_at_label')} </s-text>
                <s-text type="redundant">{compareAt}</s-text>
              </s-text>
            ) : null}
            {badge ? <s-badge>{badge}</s-badge> : null}
          </s-stack>
        ) : null}
        <s-stack direction="inline" gap="base" alignItems="center">
          <s-button variant="primary" href={offer.cart_url} target={linkTarget} onClick={onAdd}>
            {t('offers.add_to_new_order')}
          </s-button>
          <s-link onClick={onDismiss} accessibilityLabel={t('offers.dismiss_label', {title: offer.title})}>
            {t('offers.dismiss')}
          </s-link>
        </s-stack>
      </s-stack>
    </s-grid>
  );
}
