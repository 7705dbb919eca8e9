// Per-request context and the rules for reaching folders and items (mailbox access,
// impersonation's denied folders, occurrence ids).
import type { FaultState } from './faults.ts';
import { decodeId, encodeId } from './ids.ts';
import { expand } from './recurrence.ts';
import { ItemError } from './soap.ts';
import type { Store, StoredFolder, StoredItem, StoredMailbox } from './store.ts';
import type { FakeAccount } from './types.ts';
import { child, childText, type XElement } from './xml.ts';

export interface OpContext {
  store: Store;
  account: FakeAccount;
  /** The mailbox acted on: the impersonated one, or the account's own. */
  mailbox: StoredMailbox;
  impersonated: boolean;
  faults: FaultState;
  /** From the TimeZoneContext header. */
  timeZone: { id: string; name: string } | undefined;
}

/** An unmodified occurrence of a recurring master. */
export interface Occurrence {
  master: StoredItem;
  originalStart: string;
  index: number;
}

export type Target =
  { item: StoredItem; occurrence?: undefined } | { item: StoredItem; occurrence: Occurrence };

export function occurrenceId(master: StoredItem, originalStart: string): string {
  return encodeId('AAMkO', master.id, originalStart);
}

function deniedByImpersonation(ctx: OpContext, folder: StoredFolder): boolean {
  if (!ctx.impersonated || !ctx.account.deniedFolders?.length) return false;
  const denied = new Set(ctx.account.deniedFolders.map((d) => d.toLowerCase()));
  for (let f: StoredFolder | undefined = folder; f; f = f.parent) {
    if (f.distinguished && denied.has(f.distinguished)) return true;
  }
  return false;
}

export function checkFolderAccess(ctx: OpContext, folder: StoredFolder): void {
  if (folder.mailbox !== ctx.mailbox && !ctx.account.canImpersonate) {
    throw new ItemError('ErrorAccessDenied');
  }
  if (deniedByImpersonation(ctx, folder)) throw new ItemError('ErrorAccessDenied');
}

/** A <t:FolderId> or <t:DistinguishedFolderId> (optionally with <t:Mailbox>). */
export function resolveFolder(ctx: OpContext, el: XElement): StoredFolder {
  let folder: StoredFolder | undefined;
  if (el.localName === 'DistinguishedFolderId') {
    const smtp = childText(child(el, 'Mailbox'), 'EmailAddress')?.trim();
    const mailbox = smtp ? ctx.store.mailbox(smtp) : ctx.mailbox;
    if (!mailbox) throw new ItemError('ErrorNonExistentMailbox');
    folder = mailbox.distinguished.get(el.getAttribute('Id') ?? '');
  } else if (el.localName === 'FolderId') {
    folder = ctx.store.folders.get(el.getAttribute('Id') ?? '');
  }
  if (!folder) throw new ItemError('ErrorFolderNotFound');
  checkFolderAccess(ctx, folder);
  return folder;
}

function liveItem(ctx: OpContext, id: string): StoredItem {
  const item = ctx.store.items.get(id);
  if (!item) throw new ItemError('ErrorItemNotFound');
  checkFolderAccess(ctx, item.folder);
  return item;
}

function occurrenceByStart(master: StoredItem, originalStart: string): Target {
  const ex = master.exceptions.get(originalStart);
  if (ex) return { item: ex };
  if (master.deleted.has(originalStart)) throw new ItemError('ErrorItemNotFound');
  const index = expand(master)?.starts.indexOf(originalStart) ?? -1;
  if (index < 0) throw new ItemError('ErrorItemNotFound');
  return { item: master, occurrence: { master, originalStart, index: index + 1 } };
}

/** An <t:ItemId>, <t:OccurrenceItemId> or <t:RecurringMasterItemId>. */
export function resolveItem(ctx: OpContext, el: XElement): Target {
  if (el.localName === 'ItemId') {
    const id = el.getAttribute('Id') ?? '';
    const occ = decodeId(id, 'AAMkO');
    if (occ) return occurrenceByStart(liveItem(ctx, occ[0] ?? ''), occ[1] ?? '');
    return { item: liveItem(ctx, id) };
  }
  if (el.localName === 'OccurrenceItemId') {
    const master = liveItem(ctx, el.getAttribute('RecurringMasterId') ?? '');
    const index = Number(el.getAttribute('InstanceIndex'));
    const starts = master.isRecurringMaster ? (expand(master)?.starts ?? []) : [];
    const start = starts[index - 1];
    if (!Number.isInteger(index) || index < 1 || !start) {
      throw new ItemError('ErrorCalendarOccurrenceIndexIsOutOfRecurrenceRange');
    }
    if (master.deleted.has(start))
      throw new ItemError('ErrorCalendarOccurrenceIsDeletedFromRecurrence');
    return occurrenceByStart(master, start);
  }
  if (el.localName === 'RecurringMasterItemId') {
    const oid = el.getAttribute('OccurrenceId') ?? '';
    const occ = decodeId(oid, 'AAMkO');
    const item = liveItem(ctx, occ ? (occ[0] ?? '') : oid);
    const master = item.master ?? item;
    if (!master.isRecurringMaster) throw new ItemError('ErrorItemNotFound');
    return { item: master };
  }
  throw new ItemError('ErrorInvalidIdMalformed');
}
