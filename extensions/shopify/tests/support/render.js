// Renders Preact into a happy-dom container and waits for effects and fetches to settle.

import {render} from 'preact';
import {act} from 'preact/test-utils';
import {afterEach} from 'vitest';

const mounted = [];

afterEach(() => {
  for (const container of mounted.splice(0)) {
    render(null, container);
    container.remove();
  }
});

export async function mount(vnode) {
  const container = document.createElement('div');
  document.body.append(container);
  mounted.push(container);
  await act(() => {
    render(vnode, container);
  });
  return container;
}

/** Lets pending promises (token, fetch, json) resolve and Preact re-render. */
export async function settle() {
  for (let i = 0; i < 5; i += 1) {
    // eslint-disable-next-line no-await-in-loop
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
  }
}

