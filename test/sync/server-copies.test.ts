/**
 * The server's copy of an item kept with the mirror (its iCalendar/vCard text), which an
 * update patches instead of reading the item first: it belongs to one version, is handed
 * to the connector's update for exactly that version, and the copy of what a write sent is
 * stored with the version the server answered, in the transaction of its mirror row.
 */
import { describe, expect, it } from 'vitest';
import type { CrmDatabase } from '../../src/core/crm/database.ts';
import { contentHash } from '../../src/core/model/content-hash.ts';
import type { EventData, ItemData, ItemIdentity } from '../../src/core/model/items.ts';
import { executePlan } from '../../src/core/sync/executor.ts';
import type { ExecutorPorts, ServerWritten } from '../../src/core/sync/executor.ts';
import type { PlannedAction } from '../../src/core/sync/plan.ts';
import {
  deleteMirrorItem,
  deletePairing,
  loadServerCopy,
  markPairingSent,
  putMirrorItem,
  savePairing,
} from '../../src/core/sync/state.ts';
import type { MirrorItem } from '../../src/core/sync/state.ts';
import { newCrm } from '../crm/helpers.ts';
import { plainEvent } from '../support/event-data.ts';

const SCOPE = 'pbartos|events|/cal/';
const HREF = '/cal/porada.ics';

const event = (subject: string): EventData => plainEvent(subject);

function mirrored(version: string, source?: string): MirrorItem {
  const data = event('Porada');
  return {
    serverId: HREF,
    version,
    uid: 'porada-1',
    crmStamp: null,
    data,
    hash: contentHash(data),
    modifiedAt: null,
    error: null,
    ...(source === undefined ? {} : { source }),
  };
}

describe('the server copy kept with the mirror', () => {
  it('belongs to its version: kept while the version stays, dropped when it moves on', () => {
    const { db } = newCrm();
    putMirrorItem(db, SCOPE, mirrored('"1"', 'BEGIN:VCALENDAR v1'));
    expect(loadServerCopy(db, SCOPE, HREF, '"1"')).toBe('BEGIN:VCALENDAR v1');
    // Asked for another version than the mirror holds: none.
    expect(loadServerCopy(db, SCOPE, HREF, '"2"')).toBeUndefined();

    // The same version written again without a copy (an item that failed to read keeps
    // its last state): the copy stays.
    putMirrorItem(db, SCOPE, { ...mirrored('"1"'), error: 'could not be read' });
    expect(loadServerCopy(db, SCOPE, HREF, '"1"')).toBe('BEGIN:VCALENDAR v1');

    // A new version without a copy (a server that changed what was sent): none, so the
    // next update reads the item rather than patch an old text.
    putMirrorItem(db, SCOPE, mirrored('"2"'));
    expect(loadServerCopy(db, SCOPE, HREF, '"2"')).toBeUndefined();
    expect(loadServerCopy(db, SCOPE, HREF, '"1"')).toBeUndefined();

    putMirrorItem(db, SCOPE, mirrored('"3"', 'BEGIN:VCALENDAR v3'));
    expect(loadServerCopy(db, SCOPE, HREF, '"3"')).toBe('BEGIN:VCALENDAR v3');
    deleteMirrorItem(db, SCOPE, HREF);
    expect(loadServerCopy(db, SCOPE, HREF, '"3"')).toBeUndefined();
  });
});

describe('an update from the CRM', () => {
  const update = (subject: string): PlannedAction => ({
    kind: 'update-server',
    crmId: 1,
    serverId: HREF,
    version: '"1"',
    data: event(subject),
    identity: { uid: 'porada-1', crmStamp: null },
    crmHash: 'crm-hash',
    label: subject,
    reason: 'changed in the CRM',
    reasonCode: 'changed-in-crm',
    reasonParams: {},
  });

  /** Real state ports on the CRM file; the server records what its update was handed. */
  function ports(
    db: CrmDatabase,
    answer: ServerWritten,
  ): { ports: ExecutorPorts; handed: (string | undefined)[] } {
    const handed: (string | undefined)[] = [];
    const unused = (): never => {
      throw new Error('not used by an update');
    };
    return {
      handed,
      ports: {
        crm: { create: unused, update: unused, remove: unused, keepUid: () => {} },
        server: {
          create: unused,
          async update(
            _id: string,
            _version: string,
            _data: ItemData,
            _identity: ItemIdentity,
            previous?: string,
          ) {
            handed.push(previous);
            return answer;
          },
          remove: unused,
        },
        state: {
          transaction: (fn) => db.transaction(fn)(),
          savePairing: (p) => savePairing(db, SCOPE, p),
          markSent: (crmId, hash) => markPairingSent(db, SCOPE, crmId, hash),
          deletePairing: (crmId) => deletePairing(db, SCOPE, crmId),
          putMirror: (m) => putMirrorItem(db, SCOPE, m),
          deleteMirror: (id) => deleteMirrorItem(db, SCOPE, id),
          serverCopy: (id, version) => loadServerCopy(db, SCOPE, id, version),
        },
        onExecuted: () => {},
      },
    };
  }

  it('hands the connector the copy of the version it updates, and keeps the copy it sent', async () => {
    const { db } = newCrm();
    putMirrorItem(db, SCOPE, mirrored('"1"', 'BEGIN:VCALENDAR v1'));
    const { ports: p, handed } = ports(db, {
      serverId: HREF,
      version: '"2"',
      source: 'BEGIN:VCALENDAR sent',
    });
    const { results } = await executePlan([update('Porada (CRM)')], p);
    expect(results.map((r) => r.outcome)).toEqual(['done']);
    expect(handed).toEqual(['BEGIN:VCALENDAR v1']);
    expect(loadServerCopy(db, SCOPE, HREF, '"2"')).toBe('BEGIN:VCALENDAR sent');
  });

  it('keeps no copy when the server may have changed what was sent', async () => {
    const { db } = newCrm();
    putMirrorItem(db, SCOPE, mirrored('"1"', 'BEGIN:VCALENDAR v1'));
    const { ports: p } = ports(db, { serverId: HREF, version: '"2"' });
    await executePlan([update('Porada (CRM)')], p);
    expect(loadServerCopy(db, SCOPE, HREF, '"2"')).toBeUndefined();
  });

  it('hands none when the mirror holds no copy of that version', async () => {
    const { db } = newCrm();
    putMirrorItem(db, SCOPE, mirrored('"1"'));
    const { ports: p, handed } = ports(db, { serverId: HREF, version: '"2"' });
    await executePlan([update('Porada (CRM)')], p);
    expect(handed).toEqual([undefined]);
  });
});
