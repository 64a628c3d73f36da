// After delivery: 1 to 5 stars and an optional comment, sent once to Encore
// (`POST tracking.feedback.url`, the order's tracking token is the credential).

import {useState} from 'preact/hooks';

const RATINGS = [1, 2, 3, 4, 5];
export const MAX_COMMENT = 2000;

/** POSTs the feedback; resolves true when Encore stored it (or already had it). */
export async function sendFeedback(url, {rating, comment}) {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {'Content-Type': 'application/json', Accept: 'application/json'},
      body: JSON.stringify({rating, comment: comment.trim().slice(0, MAX_COMMENT)}),
    });
    return response.ok;
  } catch {
    return false;
  }
}

export function FeedbackForm({feedback, t}) {
  const [rating, setRating] = useState(null);
  const [comment, setComment] = useState('');
  const [state, setState] = useState(feedback?.submitted ? 'done' : 'open');

  if (!feedback || !feedback.enabled) return null;
  if (state === 'done') return <s-text>{t('feedback.thanks')}</s-text>;

  async function submit() {
    if (!rating || state === 'sending') return;
    setState('sending');
    setState((await sendFeedback(feedback.url, {rating, comment})) ? 'done' : 'failed');
  }

  return (
    <s-stack gap="small-200">
      <s-text type="strong">{t('feedback.heading')}</s-text>
      <s-stack direction="inline" gap="small-200">
        {RATINGS.map((value) => (
          <s-button
            key={value}
            variant={rating === value ? 'primary' : 'secondary'}
            accessibilityLabel={t('feedback.rate', {rating: value})}
            onClick={() => setRating(value)}
          >
            {'★'.repeat(value)}
          </s-button>
        ))}
      </s-stack>
      <s-text-area
        label={t('feedback.comment')}
        value={comment}
        maxLength={MAX_COMMENT}
        onInput={(event) => setComment(event.currentTarget.value ?? '')}
      />
      {state === 'failed' ? <s-banner tone="critical">{t('feedback.failed')}</s-banner> : null}
      <s-button variant="primary" disabled={!rating} loading={state === 'sending'} onClick={submit}>
        {t('feedback.submit')}
      </s-button>
    </s-stack>
  );
}
