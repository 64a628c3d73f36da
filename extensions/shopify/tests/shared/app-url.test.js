import {afterEach, describe, expect, it} from 'vitest';
import {LOCAL_APP_URL, builtInAppUrl, normalizeAppUrl, resolveAppUrl} from '../../shared/app-url.js';

describe('Encore URL', () => {
  const saved = process.env.APP_URL;
  afterEach(() => {
    if (saved === undefined) delete process.env.APP_URL;
    else process.env.APP_URL = saved;
  });

  it('accepts http(s) base URLs and drops trailing slashes', () => {
    expect(normalizeAppUrl(' https://encore.example.com/ ')).toBe('https://encore.example.com');
    expect(normalizeAppUrl('https://example.com/encore//')).toBe('https://example.com/encore');
    expect(normalizeAppUrl('http://localhost:8000')).toBe('http://localhost:8000');
  });

  it('rejects anything else', () => {
    for (const bad of ['', 'encore.example.com', 'javascript:alert(1)', 'ftp://x.com', 'https://x.com/?a=1', 'https://user@x.com', 42, null]) {
      expect(normalizeAppUrl(bad)).toBeNull();
    }
  });

  it('prefers the merchant setting, then the built-in URL, then local development', () => {
    expect(resolveAppUrl('https://merchant.example', 'https://built.example')).toBe('https://merchant.example');
    expect(resolveAppUrl('', 'https://built.example/')).toBe('https://built.example');
    expect(resolveAppUrl('not a url', 'https://built.example')).toBe('https://built.example');
    expect(resolveAppUrl(undefined, '')).toBe(LOCAL_APP_URL);
  });

  it('reads the built-in URL from APP_URL at build time', () => {
    process.env.APP_URL = 'https://built.example';
    expect(builtInAppUrl()).toBe('https://built.example');
    expect(resolveAppUrl(undefined)).toBe('https://built.example');
    delete process.env.APP_URL;
    expect(builtInAppUrl()).toBe('');
  });
});
