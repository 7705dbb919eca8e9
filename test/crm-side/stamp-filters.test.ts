import { describe, expect, it } from 'vitest';
import { findNodeByPath } from '../../src/core/crm/classification.ts';
import { ConfigError } from '../../src/core/errors.ts';
import { classificationSubtree, groupIdsByName } from '../../src/core/sync/crm-side/filters.ts';
import {
  crmDatabaseId,
  crmStampOf,
  parseCrmStamp,
  resolveCrmStamp,
} from '../../src/core/sync/crm-side/stamp.ts';
import { item, newCrm } from './helpers.ts';

describe('CRM stamps', () => {
  it('identify entity, row and CRM file, and parse back', () => {
    const stamp = crmStampOf('event', 42, '0123456789abcdef0123456789abcdef');
    expect(stamp).toBe('crm:event:42@0123456789abcdef0123456789abcdef');
    expect(parseCrmStamp(stamp)).toEqual({
      entity: 'event',
      crmId: 42,
      databaseId: '0123456789abcdef0123456789abcdef',
    });
  });

  it('parse anything else to null without throwing', () => {
    for (const bad of [
      null,
      '',
      'crm:event:42',
      'crm:company:1@abc',
      'crm:event:0@abc',
      'crm:event:-1@abc',
      'crm:event:1.5@abc',
      'crm:event:99999999999999999@abc',
      'event:42@abc',
      'crm:event:42@a b',
    ]) {
      expect(parseCrmStamp(bad)).toBeNull();
    }
  });

  it('resolve only to an existing row of the same entity in the same CRM file', () => {
    const crm = newCrm({ demo: true });
    const other = newCrm();
    const id = crmDatabaseId(crm.db);
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(crmDatabaseId(other.db)).not.toBe(id);
    expect(crmDatabaseId(crm.db)).toBe(id); // stable
    const event = item(crm.db, 'event', 1);
    expect(event.identity.crmStamp).toBe(crmStampOf('event', 1, id));
    expect(resolveCrmStamp(crm.db, event.identity.crmStamp, 'event')).toBe(1);
    expect(resolveCrmStamp(crm.db, event.identity.crmStamp, 'task')).toBeNull();
    expect(resolveCrmStamp(other.db, event.identity.crmStamp, 'event')).toBeNull();
    expect(resolveCrmStamp(crm.db, crmStampOf('event', 9999, id), 'event')).toBeNull();
    expect(resolveCrmStamp(crm.db, 'garbage', 'event')).toBeNull();
  });
});

describe('filter facts', () => {
  it('gives a classification branch with everything below it; empty = whole tree', () => {
    const crm = newCrm({ demo: true });
    expect(classificationSubtree(crm.db, '  ')).toBeNull();
    const branch = classificationSubtree(crm.db, 'Kontakty/Zákazníci')!;
    const ids = [
      'Kontakty/Zákazníci',
      'Kontakty/Zákazníci/Velkoobchod',
      'Kontakty/Zákazníci/Maloobchod',
    ].map((p) => findNodeByPath(crm.db, p)!.id);
    expect([...branch].sort()).toEqual(ids.sort());
    expect(branch.has(findNodeByPath(crm.db, 'Kontakty/Dodavatelé')!.id)).toBe(false);
  });

  it('refuses an unknown branch with a settings error naming the setting', () => {
    const crm = newCrm({ demo: true });
    expect(() => classificationSubtree(crm.db, 'Kontakty/Neexistuje')).toThrow(ConfigError);
    expect(() => classificationSubtree(crm.db, 'Kontakty/Neexistuje')).toThrow(
      /agendas\.contacts\.classificationBranch/,
    );
  });

  it('finds activity groups by name, case-insensitively also for Czech letters', () => {
    const crm = newCrm({ demo: true });
    crm.db.prepare("INSERT INTO activity_groups (name) VALUES ('Účetnictví')").run();
    const ids = groupIdsByName(crm.db, ['obchod', 'SERVIS', 'ÚČETNICTVÍ']);
    expect(ids.size).toBe(3);
    expect(groupIdsByName(crm.db, [])).toEqual(new Set());
    expect(() => groupIdsByName(crm.db, ['Obchod', 'Marketing'])).toThrow(
      /agendas\.tasks\.exportGroups\.groups names "Marketing"/,
    );
  });
});
