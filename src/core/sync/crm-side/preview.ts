/**
 * What a CRM row would read as after a write from the server, without writing it: the write
 * is carried out inside a savepoint, the row re-read, and everything rolled back (change log
 * and companies a write would create included). Re-pairing after lost state uses it to tell
 * content that differs from content the CRM merely holds in its own way (a category the
 * server copy lacks, the kinds of e-mail addresses, what the CRM cannot hold).
 */
import type { CrmDatabase } from '../../crm/database.ts';
import type { ItemData, ItemIdentity } from '../../model/items.ts';
import { getCrmItem } from './list.ts';
import type { CrmItemOptions } from './list.ts';
import type { CrmEntity, CrmItem, CrmWriteContext, ImportExtras } from './types.ts';
import { applyCrmWrite } from './write.ts';

class RolledBack extends Error {}

/**
 * The row `crmId` as it would be after taking `data`; undefined when the row is gone or the
 * write would be refused (the caller then treats the contents as different).
 */
export function previewCrmUpdate(
  db: CrmDatabase,
  entity: CrmEntity,
  crmId: number,
  write: { data: ItemData; identity: ItemIdentity; extras: ImportExtras },
  ctx: CrmWriteContext,
  options: CrmItemOptions = {},
): CrmItem | undefined {
  let after: CrmItem | undefined;
  try {
    db.transaction(() => {
      applyCrmWrite(db, { op: 'update', entity, crmId, ...write }, ctx);
      after = getCrmItem(db, entity, crmId, options);
      throw new RolledBack();
    })();
  } catch (err) {
    if (!(err instanceof RolledBack)) return undefined;
  }
  return after;
}
