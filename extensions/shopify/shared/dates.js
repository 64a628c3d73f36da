// Dates from Encore: estimated delivery is a day ("2026-11-20") or a timestamp;
// tracking events are ISO timestamps.

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function format(date, options, i18n, locale) {
  if (i18n && typeof i18n.formatDate === 'function') {
    try {
      return i18n.formatDate(date, options);
    } catch {
      // fall through to Intl
    }
  }
  try {
    return new Intl.DateTimeFormat(locale, options).format(date);
  } catch {
    return date.toISOString();
  }
}

/** A calendar day, formatted without shifting it across time zones. Null when unparseable. */
export function formatDay(value, {i18n, locale} = {}) {
  if (typeof value !== 'string') return null;
  const day = DAY.exec(value.trim());
  if (day) {
    const date = new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3])));
    if (Number.isNaN(date.getTime())) return null;
    return format(date, {dateStyle: 'medium', timeZone: 'UTC'}, i18n, locale);
  }
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : format(new Date(time), {dateStyle: 'medium'}, i18n, locale);
}

/** A moment (date and time) in the buyer's locale. Null when unparseable. */
export function formatMoment(value, {i18n, locale} = {}) {
  if (typeof value !== 'string') return null;
  const time = Date.parse(value);
  if (Number.isNaN(time)) return null;
  return format(new Date(time), {dateStyle: 'medium', timeStyle: 'short'}, i18n, locale);
}
