// Renders the theme blocks with liquidjs (Shopify's `t` filter backed by the extension's
// locale files, strict about missing keys) and loads their assets into happy-dom.

import {readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {Liquid} from 'liquidjs';
import {lookup} from './fake-shopify.js';

export const THEME_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'theme-blocks');
const SCHEMA = /\{%-?\s*schema\s*-?%\}([\s\S]*?)\{%-?\s*endschema\s*-?%\}/;

export const readThemeFile = (path) => readFileSync(join(THEME_DIR, path), 'utf8');
export const readThemeJson = (path) => JSON.parse(readThemeFile(path));

export function blockSchema(block) {
  return JSON.parse(SCHEMA.exec(readThemeFile(`blocks/${block}.liquid`))[1]);
}

function themeEngine(localeFile) {
  const messages = readThemeJson(`locales/${localeFile}`);
  const engine = new Liquid({strictVariables: false, strictFilters: true});
  engine.registerFilter('t', (key, ...pairs) => {
    const template = lookup(messages, key);
    if (typeof template !== 'string') throw new Error(`missing storefront translation: ${key}`);
    const values = Object.fromEntries(pairs);
    return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name) => {
      if (!(name in values)) throw new Error(`missing ${name} for ${key}`);
      return String(values[name]);
    });
  });
  // Shopify's `date: format: 'date'`; the real output depends on the shop's locale.
  engine.registerFilter('date', (value) => String(value).slice(0, 10));
  return engine;
}

/** The block's HTML for a Liquid context (settings, customer, cart, request). */
export function renderBlock(block, {settings = {}, localeFile = 'en.default.json', ...context} = {}) {
  const defaults = Object.fromEntries(
    blockSchema(block).settings.filter((setting) => 'default' in setting).map((setting) => [setting.id, setting.default]),
  );
  const source = readThemeFile(`blocks/${block}.liquid`).replace(SCHEMA, '');
  return themeEngine(localeFile).parseAndRender(source, {
    block: {settings: {...defaults, ...settings}, shopify_attributes: 'data-shopify-editor-block="{}"'},
    request: {locale: {iso_code: 'en'}},
    cart: {items: []},
    ...context,
  });
}

/** Puts the HTML in the page, then runs the asset as a classic script would. */
export function loadAsset(asset, html) {
  document.body.innerHTML = html;
  // eslint-disable-next-line no-new-func
  new Function(readThemeFile(`assets/${asset}`))();
}
