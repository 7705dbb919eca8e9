// Minimal typed view of @xmldom/xmldom. Its own typings pull in lib "dom" for the whole
// node project, so the module is loaded untyped and described here.
import { createRequire } from 'node:module';

export const NS = {
  soap: 'http://schemas.xmlsoap.org/soap/envelope/',
  t: 'http://schemas.microsoft.com/exchange/services/2006/types',
  m: 'http://schemas.microsoft.com/exchange/services/2006/messages',
  e: 'http://schemas.microsoft.com/exchange/services/2006/errors',
  autodiscover: 'http://schemas.microsoft.com/exchange/2010/Autodiscover',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
  xs: 'http://www.w3.org/2001/XMLSchema',
} as const;

export interface XAttr {
  name: string;
  localName: string;
  prefix: string | null;
  value: string;
  namespaceURI: string | null;
}
export interface XNode {
  nodeType: number;
  nodeName: string;
  localName: string | null;
  namespaceURI: string | null;
  nodeValue: string | null;
  textContent: string | null;
  parentNode: XNode | null;
  childNodes: { length: number; item(i: number): XNode | null };
}
export interface XElement extends XNode {
  attributes: { length: number; item(i: number): XAttr | null };
  getAttribute(name: string): string | null;
}
interface XDocument {
  documentElement: XElement | null;
}

const require = createRequire(import.meta.url);
const xmldom = require('@xmldom/xmldom') as {
  DOMParser: new (options: unknown) => { parseFromString(xml: string, mime: string): XDocument };
  XMLSerializer: new () => { serializeToString(node: XNode): string };
};

/** An element as its own document: xmldom declares every namespace prefix it uses. */
export function toXmlWithNamespaces(el: XElement): string {
  return new xmldom.XMLSerializer().serializeToString(el);
}

export class XmlParseError extends Error {}

/** Parses a document; malformed XML throws XmlParseError (xmldom only logs by default). */
export function parseXml(xml: string): XElement {
  const fail = (msg: unknown): never => {
    throw new XmlParseError(String(msg));
  };
  const parser = new xmldom.DOMParser({
    errorHandler: { warning: () => undefined, error: fail, fatalError: fail },
  });
  const root = parser.parseFromString(xml, 'text/xml').documentElement;
  if (!root) throw new XmlParseError('no document element');
  return root;
}

export function isElement(n: XNode | null): n is XElement {
  return n != null && n.nodeType === 1;
}

export function children(el: XElement, localName?: string): XElement[] {
  const out: XElement[] = [];
  for (let i = 0; i < el.childNodes.length; i++) {
    const c = el.childNodes.item(i);
    if (isElement(c) && (localName === undefined || c.localName === localName)) out.push(c);
  }
  return out;
}

export function child(el: XElement | undefined, localName: string): XElement | undefined {
  if (!el) return undefined;
  for (let i = 0; i < el.childNodes.length; i++) {
    const c = el.childNodes.item(i);
    if (isElement(c) && c.localName === localName) return c;
  }
  return undefined;
}

/** Follows a path of local names, e.g. path(el, 'Recurrence', 'EndDateRecurrence'). */
export function path(el: XElement | undefined, ...names: string[]): XElement | undefined {
  let cur = el;
  for (const n of names) cur = child(cur, n);
  return cur;
}

export function text(el: XElement | undefined): string | undefined {
  return el ? (el.textContent ?? '') : undefined;
}

export function childText(el: XElement | undefined, localName: string): string | undefined {
  return text(child(el, localName));
}

export function esc(s: string): string {
  return s.replace(/[&<>"]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;',
  );
}

const prefixFor: Record<string, string> = { [NS.t]: 't', [NS.m]: 'm' };

/**
 * Serialises an element with fixed prefixes (t:, m:) and no namespace declarations, so
 * stored fields can be pasted into any response whose root declares t and m.
 */
export function toXml(el: XNode): string {
  if (el.nodeType === 3 || el.nodeType === 4) return esc(el.nodeValue ?? '');
  if (!isElement(el)) return '';
  const prefix = el.namespaceURI ? prefixFor[el.namespaceURI] : undefined;
  const name = prefix ? `${prefix}:${el.localName}` : (el.localName ?? el.nodeName);
  let out = `<${name}`;
  for (let i = 0; i < el.attributes.length; i++) {
    const a = el.attributes.item(i);
    if (!a || a.name === 'xmlns' || a.prefix === 'xmlns') continue;
    if (a.prefix && a.prefix !== 'xml') continue;
    out += ` ${a.name}="${esc(a.value)}"`;
  }
  if (el.childNodes.length === 0) return `${out}/>`;
  out += '>';
  for (let i = 0; i < el.childNodes.length; i++) {
    const c = el.childNodes.item(i);
    if (c) out += toXml(c);
  }
  return `${out}</${name}>`;
}

export const TM_DECL = `xmlns:t="${NS.t}" xmlns:m="${NS.m}"`;
