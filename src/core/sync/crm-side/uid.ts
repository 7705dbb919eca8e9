/**
 * The server's UID kept on the CRM row it is paired with: a row created in the CRM has
 * none until the server copy exists, and without it a lost pairing state could only re-pair
 * by the stamp on the server copy. A row's own UID is never replaced.
 */
import { withSyncOrigin } from '../../crm/changes.ts';
import type { CrmDatabase } from '../../crm/database.ts';
import { TABLE_OF } from './stamp.ts';
import type { CrmEntity, CrmWriteContext } from './types.ts';

/** Sets the row's uid when it has none; true when it did. */
export function keepServerUid(
  db: CrmDatabase,
  entity: CrmEntity,
  crmId: number,
  uid: string,
  ctx: CrmWriteContext,
): boolean {
  const value = uid.trim();
  if (value === '') return false;
  return withSyncOrigin(db, ctx.origin, () => {
    const sql = `UPDATE ${TABLE_OF[entity]} SET uid = ? WHERE id = ? AND (uid IS NULL OR uid = '')`;
    return db.prepare(sql).run(value, crmId).changes > 0;
  });
}
