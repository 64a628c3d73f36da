// The store's returns policy and support contact (Encore's `tracking.help`).

export function HelpLinks({help, t}) {
  if (!help) return null;
  return (
    <s-stack gap="small-200">
      {help.returns_text ? <s-text>{help.returns_text}</s-text> : null}
      <s-stack direction="inline" gap="base">
        {help.returns_url ? (
          <s-link href={help.returns_url} target="_blank">
            {t('help.returns')}
          </s-link>
        ) : null}
        {help.support_url ? (
          <s-link href={help.support_url} target="_blank">
            {t('help.support')}
          </s-link>
        ) : null}
        {help.support_email ? <s-link href={`mailto:${help.support_email}`}>{help.support_email}</s-link> : null}
      </s-stack>
    </s-stack>
  );
}
