/**
 * Readers for the vCard properties the contact model owns (vCard 3.0, RFC 2426, and 4.0,
 * RFC 6350), shared by parsing and by the in-place writer, which rewrites a property only
 * when what it reads differs from the model.
 */
import type { PostalAddressData, TypedValue } from '../../../model/items.ts';
import type { Component, ContentLine } from '../ical/content-lines.ts';
import { firstLine, lines, paramValue, paramValues } from '../ical/content-lines.ts';
import { normaliseCategories, normaliseText } from '../../text.ts';
import { splitUnescaped, unescapeText } from '../ical/text.ts';

export type VCardVersion = '3.0' | '4.0';

export function textOf(line: ContentLine | null): string {
  return line ? normaliseText(unescapeText(line.value)) : '';
}

/** The components of a structured value (N, ADR, ORG), unescaped. */
export function componentsOf(line: ContentLine | null): string[] {
  return line ? splitUnescaped(line.value, ';').map((c) => normaliseText(unescapeText(c))) : [];
}

export interface Names {
  firstName: string;
  lastName: string;
  prefix: string;
  suffix: string;
}

/** Lower-case TYPE values (vCard 3.0 "TYPE=INTERNET,WORK", repeated TYPE, bare 2.1 style). */
export function typesOf(line: ContentLine): string[] {
  return paramValues(line, 'TYPE')
    .flatMap((v) => v.split(','))
    .map((v) => v.trim().toLowerCase());
}

/** The Apple label of a grouped property ("item1.X-ABLabel:_$!<Work>!$_"), lower-case. */
function appleLabel(card: Component, line: ContentLine): string | null {
  if (!line.group) return null;
  const group = line.group.toLowerCase();
  const label = lines(card, 'X-ABLABEL').find((l) => l.group?.toLowerCase() === group);
  if (!label) return null;
  const text = unescapeText(label.value).trim();
  return (/^_\$!<(.*)>!\$_$/.exec(text)?.[1] ?? text).toLowerCase();
}

export function organizationOf(card: Component): string {
  return componentsOf(firstLine(card, 'ORG'))[0] ?? '';
}

function isCompanyCard(card: Component): boolean {
  const kind = textOf(firstLine(card, 'KIND')).toLowerCase();
  const showAs = textOf(firstLine(card, 'X-ABSHOWAS')).toLowerCase();
  return kind === 'org' || showAs === 'company';
}

/**
 * Names from N; when N is absent or empty, from FN ("Jan Novák" -> first "Jan", last
 * "Novák"), unless FN is just the company (a company card) or an address or number.
 */
export function namesOf(card: Component): Names {
  const n = componentsOf(firstLine(card, 'N'));
  const names: Names = {
    lastName: n[0] ?? '',
    firstName: n[1] ?? '',
    prefix: n[3] ?? '',
    suffix: n[4] ?? '',
  };
  if (names.lastName || names.firstName || names.prefix || names.suffix) return names;
  const written = textOf(firstLine(card, 'FN'));
  const fn = written.trim();
  const organization = organizationOf(card);
  const contacts = [...emailsOf(card), ...phonesOf(card)].map((v) => v.value.toLowerCase());
  const notAName =
    fn === '' ||
    written === organization ||
    fn === organization.trim() ||
    isCompanyCard(card) ||
    contacts.includes(fn.toLowerCase());
  if (notAName) {
    return names;
  }
  const words = fn.split(/\s+/);
  return { ...names, lastName: words.pop() ?? '', firstName: words.join(' ') };
}

/** Preference rank: vCard 4.0 PREF=1..100, vCard 3.0 TYPE=pref; lower first. */
function prefRank(line: ContentLine): number {
  const pref = Number.parseInt(paramValue(line, 'PREF') ?? '', 10);
  if (Number.isFinite(pref)) return pref;
  return typesOf(line).includes('pref') ? 1 : 101;
}

function byPreference(list: readonly ContentLine[]): ContentLine[] {
  return list
    .map((line, index) => ({ line, index, rank: prefRank(line) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((e) => e.line);
}

export function emailType(card: Component, line: ContentLine): string {
  const types = typesOf(line);
  if (types.includes('work')) return 'work';
  if (types.includes('home')) return 'home';
  if (types.includes('other')) return 'other';
  const label = appleLabel(card, line);
  if (label === 'work' || label === 'home') return label;
  return 'other';
}

export function phoneType(card: Component, line: ContentLine): string {
  const types = typesOf(line);
  const label = appleLabel(card, line) ?? '';
  if (types.includes('fax') || label.includes('fax')) return 'fax';
  if (types.some((t) => t === 'cell' || t === 'mobile' || t === 'iphone')) return 'mobile';
  if (types.includes('work')) return 'work';
  if (types.includes('home')) return 'home';
  if (types.includes('other') || types.includes('voice')) return 'other';
  if (label === 'mobile' || label === 'iphone') return 'mobile';
  if (label === 'work' || label === 'home') return label;
  return 'other';
}

export function emailValue(line: ContentLine): string {
  return textOf(line)
    .trim()
    .replace(/^mailto:/i, '')
    .toLowerCase();
}

export function phoneValue(line: ContentLine): string {
  return textOf(line).trim().replace(/^tel:/i, '');
}

/** E-mails in preference order, unique by address. */
export function emailsOf(card: Component): TypedValue[] {
  const seen = new Set<string>();
  const result: TypedValue[] = [];
  for (const line of byPreference(lines(card, 'EMAIL'))) {
    const value = emailValue(line);
    if (value === '' || seen.has(value)) continue;
    seen.add(value);
    result.push({ value, type: emailType(card, line) });
  }
  return result;
}

export function phonesOf(card: Component): TypedValue[] {
  return byPreference(lines(card, 'TEL'))
    .map((line) => ({ value: phoneValue(line), type: phoneType(card, line) }))
    .filter((p) => p.value !== '');
}

/** The address the model holds: the preferred ADR, else the first. */
export function managedAddressLine(card: Component): ContentLine | null {
  return byPreference(lines(card, 'ADR'))[0] ?? null;
}

export function addressOf(line: ContentLine | null): PostalAddressData | null {
  if (!line) return null;
  const c = componentsOf(line);
  const address: PostalAddressData = {
    street: c[2] ?? '',
    city: c[3] ?? '',
    region: c[4] ?? '',
    postalCode: c[5] ?? '',
    country: c[6] ?? '',
  };
  return Object.values(address).some((v) => v !== '') ? address : null;
}

export function categoriesOf(card: Component): string[] {
  return normaliseCategories(
    lines(card, 'CATEGORIES').flatMap((line) => splitUnescaped(line.value, ',').map(unescapeText)),
  );
}
