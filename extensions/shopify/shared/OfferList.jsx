// The offers block: a heading and up to `maxOffers` cards. Sends one `view` per offer
// shown (once per impression), `click` on "Add to new order", `dismiss` on "Not interested".

import {useEffect, useRef, useState} from 'preact/hooks';
import {OfferCard} from './OfferCard.jsx';

export function OfferList({heading, offers, maxOffers, recordEvent, t, i18n, showDiscountBadge, linkTarget}) {
  const [dismissed, setDismissed] = useState([]);
  const shown = offers.slice(0, maxOffers);
  const viewed = useRef(new Set());

  useEffect(() => {
    for (const offer of shown) {
      if (viewed.current.has(offer.offer_id)) continue;
      viewed.current.add(offer.offer_id);
      recordEvent('view', offer.offer_id);
    }
  }, [shown.map((offer) => offer.offer_id).join(',')]);

  const visible = shown.filter((offer) => !dismissed.includes(offer.offer_id));
  if (visible.length === 0) return null;

  return (
    <s-stack gap="base">
      <s-heading>{heading}</s-heading>
      {visible.map((offer) => (
        <OfferCard
          key={offer.offer_id}
          offer={offer}
          t={t}
          i18n={i18n}
          showDiscountBadge={showDiscountBadge}
          linkTarget={linkTarget}
          onAdd={() => {
            recordEvent('click', offer.offer_id);
          }}
          onDismiss={() => {
            recordEvent('dismiss', offer.offer_id);
            setDismissed((ids) => [...ids, offer.offer_id]);
          }}
        />
      ))}
    </s-stack>
  );
}

export function LoadingSkeleton({label}) {
  return (
    <s-stack gap="base" accessibilityLabel={label}>
      <s-skeleton-paragraph />
      <s-skeleton-paragraph />
    </s-stack>
  );
}
