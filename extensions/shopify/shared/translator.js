// `t(key, replacements)` over Shopify's i18n; the key itself when i18n is missing.

export function createTranslator(i18n) {
  return function t(key, replacements) {
    if (i18n && typeof i18n.translate === 'function') {
      const value = i18n.translate(key, replacements);
      return Array.isArray(value) ? value.join('') : String(value);
    }
    return key;
  };
}
