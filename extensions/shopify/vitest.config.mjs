import {defineConfig} from 'vitest/config';

export default defineConfig({
  // Vite 8 transforms with Oxc: compile JSX for Preact, like esbuild does in the build.
  oxc: {
    jsx: {runtime: 'automatic', importSource: 'preact'},
  },
  test: {
    environment: 'happy-dom',
    include: ['tests/**/*.test.{js,jsx}'],
    restoreMocks: true,
    unstubGlobals: true,
    unstubEnvs: true,
    // Tests expect no Encore URL baked in; app-url.test.js sets APP_URL itself.
    env: {APP_URL: ''},
  },
});
