// UpdateItem's field edits (SetItemField / AppendToItemField / DeleteItemField) on a stored item.
import { fieldName } from './render.ts';
import { ItemError } from './soap.ts';
import { extKey, fieldFromXml, type Field, type StoredItem } from './store.ts';
import { children, esc, toXml, type XElement } from './xml.ts';

/** Entries of an indexed field (EmailAddresses, PhysicalAddresses…) by Key. */
function entries(field: XElement | undefined): Map<string, XElement> {
  const m = new Map<string, XElement>();
  for (const e of field ? children(field, 'Entry') : []) m.set(e.getAttribute('Key') ?? '', e);
  return m;
}

function entryXml(key: string, parts: Map<string, string> | string): string {
  const inner = typeof parts === 'string' ? esc(parts) : [...parts.values()].join('');
  return `<t:Entry Key="${esc(key)}">${inner}</t:Entry>`;
}

function subParts(e: XElement | undefined): Map<string, string> {
  const m = new Map<string, string>();
  for (const c of e ? children(e) : []) m.set(c.localName ?? '', toXml(c));
  return m;
}

/** The indexed field after setting (or deleting, when `incoming` is undefined) one entry. */
function editIndexed(
  name: string,
  existing: Field | undefined,
  key: string,
  subField: string | undefined,
  incoming: XElement | undefined,
): Field | undefined {
  const map = entries(existing?.el);
  const out = new Map<string, string>();
  for (const [k, e] of map) {
    out.set(k, children(e).length ? entryXml(k, subParts(e)) : entryXml(k, e.textContent ?? ''));
  }
  const newEntry = incoming ? entries(incoming).get(key) : undefined;
  if (name === 'PhysicalAddresses') {
    const parts = subParts(map.get(key));
    if (subField) parts.delete(subField);
    for (const [n, x] of subParts(newEntry)) parts.set(n, x);
    if (parts.size) out.set(key, entryXml(key, parts));
    else out.delete(key);
  } else if (newEntry) {
    out.set(key, entryXml(key, newEntry.textContent ?? ''));
  } else {
    out.delete(key);
  }
  if (!out.size) return undefined;
  return fieldFromXml(`<t:${name}>${[...out.values()].join('')}</t:${name}>`);
}

/** Applies one update element; returns the names of the fields it changed. */
export function applyUpdate(item: StoredItem, update: XElement): string[] {
  const uri = children(update)[0];
  if (!uri) throw new ItemError('ErrorInvalidRequest');
  const carrier = children(update)[1];
  const value = carrier ? children(carrier)[0] : undefined;
  const op = update.localName;
  if (uri.localName === 'ExtendedFieldURI') {
    const key = extKey(uri);
    if (op === 'DeleteItemField') {
      item.ext.delete(key);
    } else {
      if (!value) throw new ItemError('ErrorInvalidRequest');
      item.put(value);
    }
    return [`ext:${key}`];
  }
  const name = fieldName(uri.getAttribute('FieldURI') ?? '');
  if (uri.localName === 'IndexedFieldURI') {
    const key = uri.getAttribute('FieldIndex') ?? '';
    const sub = (uri.getAttribute('FieldURI') ?? '').split(':')[2];
    const incoming = op === 'DeleteItemField' ? undefined : value;
    if (op !== 'DeleteItemField' && !incoming) throw new ItemError('ErrorInvalidRequest');
    const next = editIndexed(name, item.field(name), key, sub, incoming);
    if (next) item.fields.set(name, next);
    else item.fields.delete(name);
    return [name];
  }
  if (op === 'DeleteItemField') {
    item.fields.delete(name);
    return [name];
  }
  if (!value || value.localName !== name) {
    throw new ItemError(
      'ErrorInvalidPropertyRequest',
      `The ${name} element is missing from the update.`,
    );
  }
  const existing = item.field(name);
  if (op === 'AppendToItemField' && existing) {
    if (name === 'Body') {
      const text = (existing.el.textContent ?? '') + (value.textContent ?? '');
      const type = existing.el.getAttribute('BodyType') ?? 'Text';
      item.fields.set(name, fieldFromXml(`<t:Body BodyType="${type}">${esc(text)}</t:Body>`));
    } else {
      const inner = [...children(existing.el), ...children(value)].map(toXml).join('');
      item.fields.set(name, fieldFromXml(`<t:${name}>${inner}</t:${name}>`));
    }
    return [name];
  }
  item.put(value);
  return [name];
}
