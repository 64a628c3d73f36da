// The files Shopify reads at deploy: shopify.extension.toml and the locale files.

import {readFileSync, readdirSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {bundleTooLarge, readExtensionToml} from '../scripts/build.mjs';
import {readLocale} from './support/fake-shopify.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const toml = (extension) => readFileSync(join(ROOT, extension, 'shopify.extension.toml'), 'utf8');
const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

function leaves(node, prefix = '') {
  return Object.entries(node).flatMap(([key, value]) =>
    value && typeof value === 'object' ? leaves(value, `${prefix}${key}.`) : [[`${prefix}${key}`, value]],
  );
}

const placeholders = (text) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((match) => match[1]).sort();

const UI_EXTENSIONS = {
  'thank-you-offers': {target: 'purchase.thank-you.block.render', settings: ['heading', 'max_offers', 'show_discount_badge', 'app_url']},
  'order-status-tracking': {
    target: 'customer-account.order-status.block.render',
    settings: ['tracking_heading', 'show_offers', 'heading', 'max_offers', 'show_discount_badge', 'app_url'],
  },
};

describe.each(Object.entries(UI_EXTENSIONS))('%s', (extension, expected) => {
  const text = toml(extension);

  it('targets its page with a module that exists', () => {
    const {targeting} = readExtensionToml(text);
    expect(targeting).toEqual([{target: expected.target, module: './src/index.jsx'}]);
    expect(() => readFileSync(join(ROOT, extension, 'src', 'index.jsx'))).not.toThrow();
  });

  it('uses the API version of the pinned @shopify/ui-extensions, with network access only', () => {
    const [year, month] = packageJson.dependencies['@shopify/ui-extensions'].split('.');
    expect(text).toMatch(new RegExp(`^api_version = "${year}-${month.padStart(2, '0')}"$`, 'm'));
    expect(text).toMatch(/^type = "ui_extension"$/m);
    const capabilities = /^\[extensions\.capabilities\]\n([^[]*)/m.exec(text)[1];
    expect(capabilities).toMatch(/^network_access = true$/m);
    expect(capabilities).toMatch(/^api_access = false$/m);
  });

  it('declares the merchant settings the code reads', () => {
    const keys = [...text.matchAll(/^key = "(\w+)"$/gm)].map((match) => match[1]);
    expect(keys).toEqual(expected.settings);
    expect(text).toMatch(/key = "max_offers"\ntype = "number_integer"[\s\S]*?name = "min"\nvalue = "1"[\s\S]*?name = "max"\nvalue = "3"/);
    expect(text).toMatch(/key = "show_discount_badge"\ntype = "boolean"/);
    expect(text).toMatch(/key = "app_url"\ntype = "single_line_text_field"/);
  });

  it('has the same keys and placeholders in English and French, none empty', () => {
    const en = new Map(leaves(readLocale(extension, 'en.default.json')));
    const fr = new Map(leaves(readLocale(extension, 'fr.json')));
    expect([...fr.keys()].sort()).toEqual([...en.keys()].sort());
    for (const [key, value] of en) {
      expect(typeof value, key).toBe('string');
      expect(value.trim(), key).not.toBe('');
      expect(fr.get(key).trim(), key).not.toBe('');
      expect(placeholders(fr.get(key)), key).toEqual(placeholders(value));
    }
  });
});

describe('visible strings', () => {
  it('come from the locale files: no literal text between JSX tags', () => {
    const sources = ['shared', 'thank-you-offers/src', 'order-status-tracking/src'].flatMap((directory) =>
      readdirSync(join(ROOT, directory))
        .filter((name) => name.endsWith('.jsx'))
        .map((name) => join(ROOT, directory, name)),
    );
    expect(sources.length).toBeGreaterThanOrEqual(6);
    for (const file of sources) {
      const jsx = readFileSync(file, 'utf8').replace(/\/\/.*$/gm, '');
      expect(jsx.match(/>[^<>{}=]*[A-Za-z][^<>{}=]*</g), file).toBeNull();
    }
  });
});

describe('build size check', () => {
  it('fails at 64 KB', () => {
    expect(bundleTooLarge(64 * 1024 - 1)).toBe(false);
    expect(bundleTooLarge(64 * 1024)).toBe(true);
  });

  it('reads every target and module of a toml', () => {
    const text = 'api_version = "2026-07"\n[[extensions]]\nhandle = "h"\n[[extensions.targeting]]\ntarget = "a"\nmodule = "./a.jsx"\n[[extensions.targeting]]\nmodule = "./b.jsx"\ntarget = "b"\n[extensions.capabilities]\n';
    expect(readExtensionToml(text)).toEqual({handle: 'h', targeting: [{target: 'a', module: './a.jsx'}, {target: 'b', module: './b.jsx'}]});
    expect(() => readExtensionToml('[[extensions]]\nname = "x"')).toThrow();
  });
});

describe('pinned versions', () => {
  it('pins every dependency exactly', () => {
    for (const [name, version] of Object.entries({...packageJson.dependencies, ...packageJson.devDependencies})) {
      expect(version, name).toMatch(/^\d+\.\d+\.\d+$/);
    }
  });
});
