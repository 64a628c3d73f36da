// Builds both UI extensions the way `shopify app deploy` does (esbuild, the extension's
// module wrapped in `shopify.extend(target, …)`, minified) into <extension>/dist/, then
// fails when a bundle reaches Shopify's 64 KB limit. Also reports the theme assets' sizes.
//
//   APP_URL=https://encore.example.com npm run build   bakes the Encore URL in as the default

import {readFile, readdir, stat} from 'node:fs/promises';
import {dirname, join, relative} from 'node:path';
import {fileURLToPath} from 'node:url';
import {brotliCompressSync, constants as zlib} from 'node:zlib';
import {build} from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const UI_EXTENSIONS = ['thank-you-offers', 'order-status-tracking'];
const THEME_EXTENSION = 'theme-blocks';
export const BUNDLE_LIMIT_BYTES = 64 * 1024;
// Shopify's theme check flags app-block JavaScript above 10 KB.
const THEME_JS_LIMIT_BYTES = 10000;

/** `handle` and `[[extensions.targeting]]` (target, module) pairs from shopify.extension.toml. */
export function readExtensionToml(text) {
  const handle = /^\s*handle\s*=\s*"([^"]+)"/m.exec(text)?.[1];
  const targeting = [];
  for (const block of text.split(/^\s*\[\[extensions\.targeting\]\]\s*$/m).slice(1)) {
    const body = block.split(/^\s*\[/m)[0];
    const target = /^\s*target\s*=\s*"([^"]+)"/m.exec(body)?.[1];
    const module = /^\s*module\s*=\s*"([^"]+)"/m.exec(body)?.[1];
    if (target && module) targeting.push({target, module});
  }
  if (!handle || targeting.length === 0) throw new Error('shopify.extension.toml needs a handle and a [[extensions.targeting]] target + module');
  return {handle, targeting};
}

/** Shopify refuses a UI extension bundle of 64 KB or more. */
export function bundleTooLarge(bytes) {
  return bytes >= BUNDLE_LIMIT_BYTES;
}

function kb(bytes) {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

/** esbuild options matching the Shopify CLI's for a UI extension (see its bundle.ts). */
export async function uiBundleOptions(name) {
  const directory = join(ROOT, name);
  const {handle, targeting} = readExtensionToml(await readFile(join(directory, 'shopify.extension.toml'), 'utf8'));
  const define = {'process.env.NODE_ENV': '"production"'};
  if (process.env.APP_URL) define['process.env.APP_URL'] = JSON.stringify(process.env.APP_URL);
  return {
    stdin: {
      contents: targeting
        .map(({target, module}, index) => `import Target_${index} from '${module}';shopify.extend('${target}', (...args) => Target_${index}(...args));`)
        .join('\n'),
      resolveDir: directory,
      sourcefile: `${handle}-entry.jsx`,
      loader: 'tsx',
    },
    outfile: join(directory, 'dist', `${handle}.js`),
    bundle: true,
    minify: true,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    loader: {'.js': 'jsx', '.esnext': 'ts'},
    legalComments: 'none',
    target: 'es6',
    define,
    logLevel: 'warning',
  };
}

async function buildUiExtension(name) {
  const options = await uiBundleOptions(name);
  await build(options);
  const content = await readFile(options.outfile);
  const compressed = brotliCompressSync(content, {params: {[zlib.BROTLI_PARAM_QUALITY]: 11}}).byteLength;
  return {name, file: relative(ROOT, options.outfile), bytes: content.byteLength, compressed};
}

async function themeAssetSizes() {
  const assets = join(ROOT, THEME_EXTENSION, 'assets');
  const sizes = [];
  for (const file of (await readdir(assets)).sort()) {
    sizes.push({file: relative(ROOT, join(assets, file)), bytes: (await stat(join(assets, file))).size});
  }
  return sizes;
}

async function main() {
  let failed = false;
  for (const name of UI_EXTENSIONS) {
    const {file, bytes, compressed} = await buildUiExtension(name);
    const over = bundleTooLarge(bytes);
    failed ||= over;
    console.log(`${over ? 'FAIL' : 'ok  '} ${file}: ${bytes} bytes (${kb(bytes)}, ~${kb(compressed)} brotli), limit ${kb(BUNDLE_LIMIT_BYTES)}`);
  }
  for (const {file, bytes} of await themeAssetSizes()) {
    const warn = file.endsWith('.js') && bytes > THEME_JS_LIMIT_BYTES;
    console.log(`${warn ? 'WARN' : 'ok  '} ${file}: ${bytes} bytes (${kb(bytes)})${warn ? `, above theme check's ${kb(THEME_JS_LIMIT_BYTES)}` : ''}`);
  }
  if (failed) {
    console.error(`A UI extension bundle is ${kb(BUNDLE_LIMIT_BYTES)} or more; Shopify rejects it.`);
    process.exit(1);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
