/**
 * The master category list: the "CategoryList" user configuration on the calendar, whose
 * XmlData is <categories><category name="…" …/></categories>. No list yet → no names.
 */
import { FolderId, UserConfigurationProperties, WellKnownFolderName } from 'ews-javascript-api';
import type { ExchangeService } from 'ews-javascript-api';
import { ewsErrorCode } from './failures.ts';
import type { EwsCaller } from './throttle.ts';

const ABSENT = new Set(['ErrorItemNotFound', 'ErrorObjectNotFound']);

export async function readMasterCategories(
  service: ExchangeService,
  caller: EwsCaller,
): Promise<string[]> {
  let data: string;
  try {
    const config = await caller.run(
      'GetUserConfiguration',
      () =>
        service.GetUserConfiguration(
          'CategoryList',
          new FolderId(WellKnownFolderName.Calendar),
          UserConfigurationProperties.XmlData,
        ),
      { passThrough: ABSENT, folder: 'Calendar' },
    );
    data = config.XmlData ?? '';
  } catch (err) {
    if (ABSENT.has(ewsErrorCode(err) ?? '')) return [];
    throw err;
  }
  return categoryNames(Buffer.from(data, 'base64').toString('utf8'));
}

/** The names in a CategoryList document, in its order, without duplicates. */
export function categoryNames(xml: string): string[] {
  const names: string[] = [];
  for (const match of xml.matchAll(
    /<(?:[\w-]+:)?category\b[^>]*?\bname\s*=\s*("([^"]*)"|'([^']*)')/g,
  )) {
    const name = decodeAttribute(match[2] ?? match[3] ?? '').trim();
    if (name !== '' && !names.includes(name)) names.push(name);
  }
  return names;
}

function decodeAttribute(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}
