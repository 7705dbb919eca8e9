/**
 * The classification tree persons are filed in (e.g. Kontakty > Zákazníci > Velkoobchod).
 * Contacts sync can be limited to one branch; paths name nodes by their names from the root,
 * separated by "/" (which node names therefore cannot contain).
 */
import type { CrmDatabase } from './database.ts';
import { definedOnly, deleteRow, ids, inTransaction, insertRow, updateRow } from './sql.ts';
import type { ClassificationNode } from './types.ts';

interface NodeRow {
  id: number;
  parent_id: number | null;
  name: string;
  position: number;
}

function toNode(r: NodeRow): ClassificationNode {
  return { id: r.id, parentId: r.parent_id, name: r.name, position: r.position };
}

export function createNode(
  db: CrmDatabase,
  node: { name: string; parentId?: number | null; position?: number },
): number {
  return insertRow(
    db,
    'classification_nodes',
    definedOnly({
      name: node.name.trim(),
      parent_id: node.parentId ?? null,
      position: node.position,
    }),
  );
}

export function getNode(db: CrmDatabase, id: number): ClassificationNode | undefined {
  const row = db
    .prepare<[number], NodeRow>('SELECT * FROM classification_nodes WHERE id = ?')
    .get(id);
  return row && toNode(row);
}

/** Children of a node (or the roots for null), in display order. */
export function listChildren(db: CrmDatabase, parentId: number | null): ClassificationNode[] {
  return db
    .prepare<[number | null], NodeRow>(
      'SELECT * FROM classification_nodes WHERE parent_id IS ? ORDER BY position, name',
    )
    .all(parentId)
    .map(toNode);
}

export function listNodes(db: CrmDatabase): ClassificationNode[] {
  return db
    .prepare<[], NodeRow>('SELECT * FROM classification_nodes ORDER BY parent_id, position, name')
    .all()
    .map(toNode);
}

/** The node and all its descendants. UNION (not UNION ALL) stops on a cycle. */
export function subtreeNodeIds(db: CrmDatabase, nodeId: number): number[] {
  return ids(
    db,
    `WITH RECURSIVE subtree(id) AS (
       SELECT id FROM classification_nodes WHERE id = ?
       UNION
       SELECT n.id FROM classification_nodes n JOIN subtree s ON n.parent_id = s.id
     )
     SELECT id FROM subtree ORDER BY id`,
    nodeId,
  );
}

function splitPath(path: string): string[] {
  return path
    .split('/')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

function childByName(db: CrmDatabase, parentId: number | null, name: string): NodeRow | undefined {
  return db
    .prepare<[number | null, string], NodeRow>(
      'SELECT * FROM classification_nodes WHERE parent_id IS ? AND name = ? COLLATE NOCASE',
    )
    .get(parentId, name);
}

/** The node at a path such as "Kontakty/Zákazníci", or undefined. */
export function findNodeByPath(db: CrmDatabase, path: string): ClassificationNode | undefined {
  const parts = splitPath(path);
  if (parts.length === 0) return undefined;
  let node: NodeRow | undefined;
  for (const name of parts) {
    node = childByName(db, node ? node.id : null, name);
    if (!node) return undefined;
  }
  return node && toNode(node);
}

/** The node at the path, creating the missing levels; returns its id. */
export function ensureNodePath(db: CrmDatabase, path: string): number {
  const parts = splitPath(path);
  if (parts.length === 0) throw new RangeError(`"${path}" is not a classification path.`);
  return inTransaction(db, () => {
    let parentId: number | null = null;
    for (const name of parts) {
      const existing = childByName(db, parentId, name);
      parentId = existing ? existing.id : createNode(db, { name, parentId });
    }
    return parentId as number;
  });
}

/** "Kontakty/Zákazníci/Velkoobchod" for a node, or undefined when it does not exist. */
export function nodePath(db: CrmDatabase, nodeId: number): string | undefined {
  const names = db
    .prepare<[number], string>(
      `WITH RECURSIVE up(id, parent_id, name, depth) AS (
         SELECT id, parent_id, name, 0 FROM classification_nodes WHERE id = ?
         UNION
         SELECT n.id, n.parent_id, n.name, up.depth + 1
         FROM classification_nodes n JOIN up ON n.id = up.parent_id
         WHERE up.depth < 1000
       )
       SELECT name FROM up ORDER BY depth DESC`,
    )
    .pluck()
    .all(nodeId);
  return names.length === 0 ? undefined : names.join('/');
}

/**
 * Renames and/or moves a node. Moving a node under itself or its own descendant is refused
 * (the tree would lose its root).
 */
export function updateNode(
  db: CrmDatabase,
  id: number,
  patch: { name?: string; parentId?: number | null; position?: number },
): boolean {
  return inTransaction(db, () => {
    if (patch.parentId != null && subtreeNodeIds(db, id).includes(patch.parentId)) {
      throw new RangeError(`Classification node ${id} cannot move under its own subtree.`);
    }
    return updateRow(
      db,
      'classification_nodes',
      id,
      definedOnly({
        name: patch.name?.trim(),
        parent_id: patch.parentId,
        position: patch.position,
      }),
      { touch: false },
    );
  });
}

/** Deletes the node with its whole subtree; persons filed there keep existing, unfiled. */
export function deleteNode(db: CrmDatabase, id: number): boolean {
  return deleteRow(db, 'classification_nodes', id);
}
