// Opaque ids in Exchange's style (base64), decodable by the fake itself.

export function encodeId(kind: string, ...parts: (string | number)[]): string {
  return Buffer.from([kind, ...parts].join('|'), 'utf8').toString('base64');
}

/** The parts of an id made by encodeId with this kind, or undefined. */
export function decodeId(id: string, kind: string): string[] | undefined {
  if (!/^[A-Za-z0-9+/]+=*$/.test(id)) return undefined;
  const parts = Buffer.from(id, 'base64').toString('utf8').split('|');
  return parts[0] === kind ? parts.slice(1) : undefined;
}

/** Normalises an xs:dateTime to UTC "YYYY-MM-DDTHH:MM:SSZ"; no offset means UTC (as EWS). */
export function toUtc(value: string): string {
  const v = value.trim();
  const withZone = /([zZ]|[+-]\d\d:\d\d)$/.test(v) ? v : `${v}Z`;
  const d = new Date(withZone);
  if (Number.isNaN(d.getTime())) throw new Error(`invalid dateTime ${value}`);
  return isoUtc(d);
}

export function isoUtc(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
