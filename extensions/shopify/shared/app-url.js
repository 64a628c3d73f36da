// Where the Encore backend lives: the merchant's setting first, then the URL baked in
// when the bundle was built (APP_URL, as the backend names it), then local development.

export const LOCAL_APP_URL = 'http://localhost:8000';

const HTTP_BASE = /^https?:\/\/[^\s/?#@]+(\/[^\s?#]*)?$/i;

/** The APP_URL esbuild (this project's build or the Shopify CLI) inlined, or ''. */
export function builtInAppUrl() {
  try {
    // esbuild replaces `process.env.APP_URL` with a string literal when APP_URL is set at
    // build time. When it is not, there is no `process` in the extension sandbox and the
    // ReferenceError lands here.
    return process.env.APP_URL || '';
  } catch {
    return '';
  }
}

/** An http(s) base URL without a trailing slash, or null when `value` is not one. */
export function normalizeAppUrl(value) {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  if (!HTTP_BASE.test(trimmed)) return null;
  return trimmed.replace(/\/+$/, '');
}

/** The base URL every storefront request goes to. */
export function resolveAppUrl(setting, fallback = builtInAppUrl()) {
  return normalizeAppUrl(setting) || normalizeAppUrl(fallback) || LOCAL_APP_URL;
}
