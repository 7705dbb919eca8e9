import { describe, expect, it } from 'vitest';
import {
  createNode,
  deleteNode,
  ensureNodePath,
  findNodeByPath,
  listChildren,
  nodePath,
  subtreeNodeIds,
  updateNode,
} from '../../src/core/crm/classification.ts';
import { getPerson, insertPerson } from '../../src/core/crm/persons.ts';
import { newCrm } from './helpers.ts';

describe('the classification tree', () => {
  it('finds nodes by path and lists a whole branch', () => {
    const { db } = newCrm();
    const root = createNode(db, { name: 'Kontakty' });
    const customers = createNode(db, { name: 'Zákazníci', parentId: root, position: 1 });
    const wholesale = createNode(db, { name: 'Velkoobchod', parentId: customers });
    const retail = createNode(db, { name: 'Maloobchod', parentId: customers });
    const suppliers = createNode(db, { name: 'Dodavatelé', parentId: root, position: 2 });

    expect(findNodeByPath(db, 'Kontakty/Zákazníci')?.id).toBe(customers);
    expect(findNodeByPath(db, '/Kontakty / zákazníci/ Velkoobchod/')?.id).toBe(wholesale);
    expect(findNodeByPath(db, 'Kontakty/Partneři')).toBeUndefined();
    expect(findNodeByPath(db, '')).toBeUndefined();
    expect(subtreeNodeIds(db, customers)).toEqual([customers, wholesale, retail]);
    expect(subtreeNodeIds(db, root)).toHaveLength(5);
    expect(subtreeNodeIds(db, 999)).toEqual([]);
    expect(nodePath(db, retail)).toBe('Kontakty/Zákazníci/Maloobchod');
    expect(listChildren(db, root).map((n) => n.id)).toEqual([customers, suppliers]);
    expect(listChildren(db, null).map((n) => n.name)).toEqual(['Kontakty']);
  });

  it('creates missing levels of a path once', () => {
    const { db } = newCrm();
    const a = ensureNodePath(db, 'Kontakty/Partneři');
    expect(ensureNodePath(db, 'Kontakty/Partneři')).toBe(a);
    expect(ensureNodePath(db, 'Kontakty')).toBe(findNodeByPath(db, 'Kontakty')?.id);
    expect(db.prepare('SELECT count(*) FROM classification_nodes').pluck().get()).toBe(2);
  });

  it('refuses to move a node into its own subtree', () => {
    const { db } = newCrm();
    const root = ensureNodePath(db, 'A');
    const child = ensureNodePath(db, 'A/B');
    expect(() => updateNode(db, root, { parentId: child })).toThrow(/own subtree/);
    expect(() => updateNode(db, root, { parentId: root })).toThrow(/own subtree/);
    const other = ensureNodePath(db, 'C');
    expect(updateNode(db, child, { parentId: other, name: 'B2' })).toBe(true);
    expect(nodePath(db, child)).toBe('C/B2');
  });

  it('deletes a branch and leaves its persons unfiled', () => {
    const { db } = newCrm();
    const branch = ensureNodePath(db, 'Kontakty/Zákazníci');
    const leaf = ensureNodePath(db, 'Kontakty/Zákazníci/Velkoobchod');
    const person = insertPerson(db, { firstName: 'Jan', nodeId: leaf });
    expect(deleteNode(db, branch)).toBe(true);
    expect(subtreeNodeIds(db, leaf)).toEqual([]);
    expect(getPerson(db, person)?.nodeId).toBeNull();
  });
});
