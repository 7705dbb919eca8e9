/*
 * The UI test bridge, browser side: `window.crmSync` (CrmSyncApi, src/shared/app-api.ts)
 * over HTTP to the engine service of test/support/ui-bridge.ts, in place of the preload.
 * Served at /bridge.js and loaded by index.html before the app (CSP `script-src 'self'`
 * allows a same-origin script file).
 *
 * Like the preload: one frozen object, every method answers a promise, a failed call
 * rejects with an Error whose message is what Electron's ipcRenderer.invoke gives, void
 * methods resolve to undefined, onStatus returns an unsubscribe. The status stream opens
 * when the page loads (main sends every update to the window, subscribed or not), and calls
 * wait until it is open, so no update is missed between a call and a subscription.
 */
/* global EventSource */
(() => {
  'use strict';

  // Every method but the pushes onStatus and onNavigate: the IPC contract's, which
  // ui-bridge.ts writes on this script's tag.
  const METHODS = document.currentScript.dataset.methods.split(' ');

  const listeners = new Set();
  // Like the preload: a page asked for before the UI listens waits for its first listener.
  const navigateListeners = new Set();
  let pendingPage;
  let opened = () => undefined;
  const streamOpen = new Promise((resolve) => (opened = resolve));
  const events = new EventSource('/api/status-events');
  events.addEventListener('open', () => opened());
  // The stream reconnects by itself; calls need not wait for it meanwhile.
  events.addEventListener('error', () => opened());
  events.addEventListener('message', (event) => {
    const status = JSON.parse(event.data);
    for (const listener of [...listeners]) {
      try {
        listener(status);
      } catch (err) {
        console.error('A status listener failed:', err);
      }
    }
  });

  events.addEventListener('navigate', (event) => {
    const page = JSON.parse(event.data);
    if (navigateListeners.size === 0) pendingPage = page;
    for (const listener of [...navigateListeners]) listener(page);
  });

  // Like the preload: an optional argument left out and one given as undefined travel
  // alike, not at all (JSON would turn undefined into null).
  function withoutTrailingUndefined(args) {
    let end = args.length;
    while (end > 0 && args[end - 1] === undefined) end--;
    return args.slice(0, end);
  }

  async function call(method, args) {
    await streamOpen;
    const res = await fetch(`/api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(args),
    });
    if (res.status === 204) return undefined;
    const body = await res.json();
    if (!res.ok) throw new Error(body.message);
    return body;
  }

  const api = {};
  for (const method of METHODS) {
    api[method] = (...args) => call(method, withoutTrailingUndefined(args));
  }
  api.onStatus = (listener) => {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  };
  api.onNavigate = (listener) => {
    navigateListeners.add(listener);
    const pending = pendingPage;
    pendingPage = undefined;
    if (pending !== undefined) listener(pending);
    return () => {
      navigateListeners.delete(listener);
    };
  };
  Object.defineProperty(window, 'crmSync', { value: Object.freeze(api), enumerable: true });
})();
