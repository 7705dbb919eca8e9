// Element order of EWS item and folder types, read from types.xsd so responses list
// properties in schema order (as Exchange does).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { children, parseXml, type XElement } from './xml.ts';

/**
 * Microsoft's EWS schemas: EWS_SCHEMA_DIR, or the copy kept beside the fake (schema/), so
 * a fresh clone validates without anything outside the repository.
 */
export const SCHEMA_DIR =
  process.env.EWS_SCHEMA_DIR ?? fileURLToPath(new URL('./schema', import.meta.url));

let complexTypes: Map<string, XElement> | undefined;
const orderCache = new Map<string, Map<string, number>>();

function types(): Map<string, XElement> {
  if (!complexTypes) {
    complexTypes = new Map();
    // Without the schema, answers keep the stored order (the client does not mind).
    if (!existsSync(`${SCHEMA_DIR}/types.xsd`)) return complexTypes;
    const root = parseXml(readFileSync(`${SCHEMA_DIR}/types.xsd`, 'utf8'));
    for (const ct of children(root, 'complexType')) {
      const name = ct.getAttribute('name');
      if (name) complexTypes.set(name, ct);
    }
  }
  return complexTypes;
}

function collect(el: XElement, out: string[]): void {
  for (const c of children(el)) {
    if (c.localName === 'element') {
      const name = c.getAttribute('name') ?? c.getAttribute('ref')?.replace(/^t:/, '');
      if (name) out.push(name);
    } else if (c.localName === 'extension') {
      const base = c.getAttribute('base')?.replace(/^t:/, '');
      const baseType = base ? types().get(base) : undefined;
      if (baseType) collect(baseType, out);
      collect(c, out);
    } else if (['sequence', 'choice', 'complexContent', 'all'].includes(c.localName ?? '')) {
      collect(c, out);
    }
  }
}

/** Position of each child element name in `typeName` (e.g. "CalendarItemType"). */
export function elementOrder(typeName: string): Map<string, number> {
  let order = orderCache.get(typeName);
  if (!order) {
    const ct = types().get(typeName);
    const names: string[] = [];
    if (ct) collect(ct, names);
    order = new Map();
    for (const n of names) if (!order.has(n)) order.set(n, order.size);
    orderCache.set(typeName, order);
  }
  return order;
}

/** Sorts [elementName, xml] parts into schema order; unknown names go last. */
export function inSchemaOrder(typeName: string, parts: [string, string][]): string {
  const order = elementOrder(typeName);
  return parts
    .map((p, i) => ({ p, k: order.get(p[0]) ?? 10_000 + i }))
    .sort((a, b) => a.k - b.k)
    .map((x) => x.p[1])
    .join('');
}
