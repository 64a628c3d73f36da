// What Shopify validates when it uploads the theme app extension, and the rules the
// blocks promise: scoped CSS, no HTML strings from the server, locales that match.

import {readdirSync, statSync} from 'node:fs';
import {join, relative} from 'node:path';
import {describe, expect, it} from 'vitest';
import {lookup} from '../support/fake-shopify.js';
import {THEME_DIR, blockSchema, readThemeFile, readThemeJson} from '../support/theme.js';

const BLOCKS = ['order-tracking', 'recommended-offers'];

function files(directory) {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    return statSync(path).isDirectory() ? files(path) : [relative(THEME_DIR, path)];
  });
}

function leaves(node, prefix = '') {
  return Object.entries(node).flatMap(([key, value]) =>
    value && typeof value === 'object' ? leaves(value, `${prefix}${key}.`) : [[`${prefix}${key}`, value]],
  );
}

describe('theme app extension', () => {
  it('is a theme extension with a name', () => {
    const toml = readThemeFile('shopify.extension.toml');
    expect(toml).toMatch(/^type = "theme"$/m);
    expect(toml).toMatch(/^name = "[^"]+"$/m);
  });

  it('holds only what a theme app extension may hold', () => {
    for (const file of files(THEME_DIR)) {
      expect(file).toMatch(/^(shopify\.extension\.toml|blocks\/[\w-]+\.liquid|assets\/[\w-]+\.(js|css)|locales\/[\w-]+(\.default)?(\.schema)?\.json)$/);
    }
  });

  it.each(BLOCKS)('%s has a section-target schema with heading, accent colour and max items', (block) => {
    const schema = blockSchema(block);
    expect(schema.name).toMatch(/^t:blocks\./);
    expect(schema.target).toBe('section');
    const settings = Object.fromEntries(schema.settings.map((setting) => [setting.id, setting]));
    expect(settings.heading.type).toBe('text');
    expect(settings.accent_color.type).toBe('color');
    expect(settings.max_items.type).toBe('range');
    expect(settings.max_items.min).toBeGreaterThanOrEqual(1);
    expect(settings.max_items.default).toBeLessThanOrEqual(settings.max_items.max);
    for (const asset of [schema.javascript, schema.stylesheet]) {
      expect(files(THEME_DIR)).toContain(`assets/${asset}`);
    }
  });

  it('translates every schema label in English and French', () => {
    for (const localeFile of ['en.default.schema.json', 'fr.schema.json']) {
      const messages = readThemeJson(`locales/${localeFile}`);
      for (const block of BLOCKS) {
        const references = JSON.stringify(blockSchema(block)).match(/"t:[\w.]+"/g);
        for (const reference of references) {
          expect(typeof lookup(messages, reference.slice(3, -1)), `${localeFile} ${reference}`).toBe('string');
        }
      }
    }
  });

  it('has the same storefront and schema keys in English and French', () => {
    for (const [en, fr] of [['en.default.json', 'fr.json'], ['en.default.schema.json', 'fr.schema.json']]) {
      const english = leaves(readThemeJson(`locales/${en}`)).map(([key]) => key).sort();
      const french = leaves(readThemeJson(`locales/${fr}`)).map(([key]) => key).sort();
      expect(french).toEqual(english);
    }
  });

  it('scopes every CSS class under encore-', () => {
    const css = readThemeFile('assets/encore-blocks.css').replace(/\/\*[\s\S]*?\*\//g, '');
    const classes = css.match(/\.[a-zA-Z][\w-]*/g);
    expect(classes.length).toBeGreaterThan(10);
    for (const name of classes) expect(name).toMatch(/^\.encore-/);
    for (const selector of css.match(/(^|})\s*[^{}@]+(?=\{)/g)) {
      for (const part of selector.replace(/^}/, '').split(',')) expect(part.trim()).toMatch(/^\.encore-/);
    }
  });

  it.each(['encore-tracking.js', 'encore-offers.js'])('%s never parses HTML and stays small', (asset) => {
    const code = readThemeFile(`assets/${asset}`);
    expect(code).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/);
    expect(code).toContain("Accept: 'application/json'");
    expect(Buffer.byteLength(code)).toBeLessThan(10000);
  });
});
