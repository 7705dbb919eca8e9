/**
 * The calling side of a method table (the shape of VS Code's `ProxyChannel.toService`): an
 * object with one method per name, each handing its name and arguments to one `call`. The
 * preload builds `window.crmSync` with it, main its client of the engine host.
 *
 * A plain object rather than a JS Proxy: Electron's contextBridge copies an object's own
 * properties, and a Proxy has none. Zod-free, because the sandboxed preload bundles it.
 */

/**
 * `methods` are the names of T's methods (the caller's table says which); T is what the
 * object offers, checked against that table where the table is defined.
 */
export function proxyMethods<T>(
  methods: readonly (keyof T & string)[],
  call: (method: keyof T & string, args: unknown[]) => Promise<unknown>,
): T {
  const proxy: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const method of methods) {
    proxy[method] = (...args) => call(method, withoutTrailingUndefined(args));
  }
  // One method per name of the table, each forwarding its arguments as given.
  return proxy as T;
}

/**
 * An optional argument left out and one given as `undefined` travel alike: not at all. A
 * structured clone would keep the `undefined`, JSON would turn it into null.
 */
function withoutTrailingUndefined(args: unknown[]): unknown[] {
  let end = args.length;
  while (end > 0 && args[end - 1] === undefined) end--;
  return end === args.length ? args : args.slice(0, end);
}
