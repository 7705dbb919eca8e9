import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseCalendarObject,
  renderCalendarObject,
} from '../../src/core/servers/dav/ical/index.ts';
import { parseVCard, renderVCard } from '../../src/core/servers/dav/vcard/index.ts';
import { contactData, crmStamp, eventData, taskData } from './arbitraries.ts';
import { fixture, NOW } from './helpers.ts';

const options = { defaultZone: 'Europe/Prague', now: NOW };
// More runs on demand: DAV_MAPPING_RUNS=5000 npx vitest run test/dav-mapping
const runs = { numRuns: Number(process.env.DAV_MAPPING_RUNS ?? 300) };
const iosHomeAddress = {
  street: 'Dlouhá 5',
  city: 'Brno',
  region: '',
  postalCode: '602 00',
  country: 'Česká republika',
};

describe('round trips over generated data', () => {
  it('events: parse(render(data)) = data', () => {
    fc.assert(
      fc.property(eventData, crmStamp, (data, stamp) => {
        const identity = { uid: 'generated-1', crmStamp: stamp };
        const parsed = parseCalendarObject(
          renderCalendarObject(data, identity, undefined, options),
          'gen',
          options,
        );
        expect(parsed.data).toEqual(data);
        expect(parsed.identity).toEqual(identity);
      }),
      runs,
    );
  });

  it('events: patching any earlier version in place gives exactly the new data', () => {
    fc.assert(
      fc.property(eventData, eventData, (before, after) => {
        const identity = { uid: 'generated-2', crmStamp: 'crm-1' };
        const old = renderCalendarObject(before, identity, undefined, options);
        const patched = renderCalendarObject(after, identity, old, options);
        expect(parseCalendarObject(patched, 'gen', options).data).toEqual(after);
        // And patching again with the same data changes nothing.
        expect(renderCalendarObject(after, identity, patched, options)).toBe(patched);
      }),
      runs,
    );
  });

  it('events: patching real objects with generated data keeps their unknown properties', () => {
    const sources = [
      'outlook-windows-zone.ics',
      'google-utc.ics',
      'thunderbird-alarm.ics',
      'apple-weekly-series.ics',
    ];
    const kept = [
      'X-MICROSOFT-SKYPETEAMSMEETINGURL',
      'CONFERENCE',
      'X-MOZ-GENERATION',
      'X-APPLE-STRUCTURED-LOCATION',
      'ATTACH',
    ];
    fc.assert(
      fc.property(fc.constantFrom(...sources), eventData, (name, data) => {
        const text = fixture(name);
        const identity = parseCalendarObject(text, name, options).identity;
        const patched = renderCalendarObject(data, identity, text, options);
        expect(parseCalendarObject(patched, name, options).data).toEqual(data);
        for (const property of kept) {
          const line = text
            .split('\r\n')
            .find((l) => l.startsWith(`${property}:`) || l.startsWith(`${property};`));
          if (line) expect(patched).toContain(line);
        }
      }),
      { numRuns: Math.ceil(runs.numRuns / 2) },
    );
  });

  it('tasks: parse(render(data)) = data, new and patched', () => {
    fc.assert(
      fc.property(taskData, taskData, (before, after) => {
        const identity = { uid: 'task-1', crmStamp: null };
        const fresh = renderCalendarObject(before, identity, undefined, options);
        expect(parseCalendarObject(fresh, 'gen', options).data).toEqual(before);
        const patched = renderCalendarObject(after, identity, fresh, options);
        expect(parseCalendarObject(patched, 'gen', options).data).toEqual(after);
      }),
      runs,
    );
  });

  it('contacts: parse(render(data)) = data in vCard 3.0 and 4.0, new and patched', () => {
    fc.assert(
      fc.property(
        contactData,
        contactData,
        fc.constantFrom('3.0' as const, '4.0' as const),
        crmStamp,
        (before, after, version, stamp) => {
          const identity = { uid: 'card-1', crmStamp: stamp };
          const fresh = renderVCard(before, identity, undefined, { version, now: NOW });
          const read = parseVCard(fresh, 'gen');
          expect(read.data).toEqual(before);
          expect(read.identity).toEqual(identity);
          const patched = renderVCard(after, identity, fresh, { now: NOW });
          expect(parseVCard(patched, 'gen').data).toEqual(after);
          expect(patched).toContain(`VERSION:${version}`);
          expect(renderVCard(after, identity, patched, { now: NOW })).toBe(patched);
        },
      ),
      runs,
    );
  });

  it('contacts: patching real cards with generated data keeps their unknown properties', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('ios-3.0.vcf', 'nextcloud-4.0.vcf'),
        contactData,
        (name, data) => {
          const text = fixture(name);
          const identity = parseVCard(text, name).identity;
          const patched = renderVCard(data, identity, text, { now: NOW });
          // No address removes only the address the model held: another one the card has
          // (the iOS card's home address) is read next time, not deleted unseen.
          const expected =
            data.address === null && name === 'ios-3.0.vcf'
              ? { ...data, address: iosHomeAddress }
              : data;
          expect(parseVCard(patched, name).data).toEqual(expected);
          for (const property of [
            'X-SOCIALPROFILE',
            'IMPP',
            'BDAY',
            'item5.URL',
            'X-CUSTOM-FIELD',
          ]) {
            const line = text.split('\r\n').find((l) => l.startsWith(property));
            if (line) expect(patched).toContain(line);
          }
        },
      ),
      { numRuns: Math.ceil(runs.numRuns / 2) },
    );
  });
});
