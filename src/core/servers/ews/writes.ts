/**
 * Writes guarded by the item's ChangeKey, none of which sends mail: CreateItem with
 * SendToNone, UpdateItem with NeverOverwrite (a stale ChangeKey is a VersionConflictError,
 * never an overwrite), DeleteItem to Deleted Items without cancellations. A series'
 * cancelled and moved occurrences are written after the master, by occurrence index.
 */
import {
  AffectedTaskOccurrence,
  Appointment,
  BasePropertySet,
  ConflictResolutionMode,
  DeleteMode,
  Item,
  ItemId,
  ItemSchema,
  PropertySet,
  SendCancellationsMode,
  SendInvitationsMode,
  SendInvitationsOrCancellationsMode,
  ServiceResult,
} from 'ews-javascript-api';
import { randomUUID } from 'node:crypto';
import type { EventData, ItemData, ItemIdentity } from '../../model/items.ts';
import type { WriteResult } from '../connector.ts';
import { ItemError, VersionConflictError } from '../errors.ts';
import { CodedItemError } from '../errors.ts';
import { ewsErrorCode, serviceErrorName } from './failures.ts';
import {
  applyToServerItem,
  applyOverrideToOccurrence,
  instanceIndex,
  itemPropertySet,
  newServerItem,
  occurrenceWrites,
  readServerItem,
  resetOverride,
} from './mapping/index.ts';
import { readExceptions } from './changes.ts';
import type { FolderContext } from './changes.ts';

const NOT_FOUND = new Set(['ErrorItemNotFound']);
/** Id, ChangeKey and the folder the item is in. */
const LOCATION = new PropertySet(BasePropertySet.IdOnly, [ItemSchema.ParentFolderId]);
const CONFLICT = new Set(['ErrorIrresolvableConflict', 'ErrorChangeKeyRequiredForWriteOperations']);
/** Refusals about this one item: the run goes on with the others. */
const ITEM_CODES = new Set([
  'ErrorInvalidPropertySet',
  'ErrorInvalidPropertyRequest',
  'ErrorInvalidValueForProperty',
  'ErrorInvalidRecipients',
  'ErrorCalendarInvalidRecurrence',
  'ErrorCalendarOccurrenceIndexIsOutOfRecurrenceRange',
  'ErrorCalendarIsCancelledForAccept',
  'ErrorOccurrenceCrossingBoundary',
  'ErrorPropertyValidationFailure',
  'ErrorInvalidExtendedPropertyValue',
  'ErrorMessageSizeExceeded',
  'ErrorObjectTypeChanged',
]);
const PASS = new Set([...NOT_FOUND, ...CONFLICT, ...ITEM_CODES]);

function label(data: ItemData): string {
  const name = data.kind === 'contact' ? `${data.firstName} ${data.lastName}`.trim() : data.subject;
  return name === '' ? 'the item' : `"${name}"`;
}

/** An item-level refusal as a coded ItemError; anything else stays as thrown. */
function itemFailure(err: unknown, ctx: FolderContext, operation: string, what: string): unknown {
  const code = ewsErrorCode(err);
  if (code === undefined || !ITEM_CODES.has(code)) return err;
  return refused(ctx, operation, what, code, err instanceof Error ? err.message : String(err));
}

function refused(
  ctx: FolderContext,
  operation: string,
  what: string,
  code: string,
  text: string,
): CodedItemError {
  const detail = text === '' ? code : `${code}: ${text}`;
  return new CodedItemError(`Exchange refused ${what} (${detail}).`, 'request-refused', {
    method: operation,
    url: ctx.caller.context.server,
    status: code,
    detail: text,
  });
}

function gone(what: string): CodedItemError {
  return new CodedItemError(`${what} is no longer on the server.`, 'item-gone', { item: what });
}

export async function createItem(
  ctx: FolderContext,
  data: ItemData,
  identity: ItemIdentity,
): Promise<WriteResult> {
  const { service, caller, folderId } = ctx;
  // Our own UID, so it is known without reading the item back (Exchange would make one).
  const uid = identity.uid.trim() === '' ? randomUUID().toUpperCase() : identity.uid;
  const item = newServerItem(service, data, { ...identity, uid });
  try {
    await caller.run(
      'CreateItem',
      () =>
        item instanceof Appointment
          ? item.Save(folderId, SendInvitationsMode.SendToNone)
          : item.Save(folderId),
      // A timed-out create may have been done: the engine finds it by its stamp next run.
      { folder: ctx.folderName, passThrough: ITEM_CODES, retryNetwork: false },
    );
  } catch (err) {
    throw itemFailure(err, ctx, 'CreateItem', `to create ${label(data)}`);
  }
  const serverId = item.Id.UniqueId;
  let version = item.Id.ChangeKey;
  if (data.kind === 'event' && item instanceof Appointment) {
    const wrote = await writeOccurrences(ctx, item.Id, null, data);
    if (wrote) version = await currentChangeKey(ctx, serverId);
  }
  return { serverId, version, uid };
}

export async function updateItem(
  ctx: FolderContext,
  serverId: string,
  version: string,
  data: ItemData,
  identity: ItemIdentity,
): Promise<WriteResult> {
  const { service, caller, kind } = ctx;
  // Read first, though UpdateItem sets only the fields sent and the ChangeKey guards it:
  // what to send depends on what only the server holds (the zone new times are written
  // in, a contact's DisplayName and FileAs changed only where they follow the name, which
  // e-mail, phone and address entries exist), and the library updates only a bound item.
  let item: Item;
  try {
    item = await caller.run(
      'GetItem',
      () => Item.Bind(service, new ItemId(serverId), itemPropertySet(kind)),
      { folder: ctx.folderName, passThrough: NOT_FOUND },
    );
  } catch (err) {
    // Deleted on the server: the engine sees the deletion when it next reads the folder.
    if (NOT_FOUND.has(ewsErrorCode(err) ?? '')) throw gone(label(data));
    throw err;
  }
  if (item.Id.ChangeKey !== version) throw new VersionConflictError(serverId);
  // The current state with its exceptions' texts, so only real differences are written.
  const exceptions =
    kind === 'events' ? await readExceptions(ctx, [item]) : new Map<string, Appointment>();
  const current = readServerItem(kind, item, exceptions);
  applyToServerItem(item, data, identity, current.data);
  try {
    await caller.run(
      'UpdateItem',
      () =>
        item instanceof Appointment
          ? item.Update(
              ConflictResolutionMode.NeverOverwrite,
              SendInvitationsOrCancellationsMode.SendToNone,
            )
          : item.Update(ConflictResolutionMode.NeverOverwrite),
      { folder: ctx.folderName, passThrough: PASS },
    );
  } catch (err) {
    const code = ewsErrorCode(err) ?? '';
    if (CONFLICT.has(code)) throw new VersionConflictError(serverId, { cause: err });
    if (NOT_FOUND.has(code)) throw gone(label(data));
    throw itemFailure(err, ctx, 'UpdateItem', `to change ${label(data)}`);
  }
  let final = item.Id.ChangeKey;
  if (data.kind === 'event' && item instanceof Appointment) {
    const before = current.data.kind === 'event' ? current.data : null;
    const wrote = await writeOccurrences(ctx, item.Id, before, data);
    if (wrote) final = await currentChangeKey(ctx, serverId);
  }
  return { serverId, version: final };
}

export async function removeItem(
  ctx: FolderContext,
  serverId: string,
  version: string,
): Promise<void> {
  const { service, caller } = ctx;
  // DeleteItem ignores ChangeKeys: look first, so an edit made since the read is not lost
  // (it narrows the window to the two calls; Exchange offers no conditional delete).
  let current: Item;
  try {
    current = await caller.run(
      'GetItem',
      () => Item.Bind(service, new ItemId(serverId), LOCATION),
      { folder: ctx.folderName, passThrough: NOT_FOUND },
    );
  } catch (err) {
    if (NOT_FOUND.has(ewsErrorCode(err) ?? '')) return; // gone already: what we wanted
    throw err;
  }
  // Already in Deleted Items (or moved away): gone from this folder, as asked.
  if (current.ParentFolderId.UniqueId !== ctx.folderId.UniqueId) return;
  if (current.Id.ChangeKey !== version) throw new VersionConflictError(serverId);
  const responses = await caller.run(
    'DeleteItem',
    () =>
      service.DeleteItems(
        [new ItemId(serverId)],
        DeleteMode.MoveToDeletedItems,
        SendCancellationsMode.SendToNone,
        AffectedTaskOccurrence.AllOccurrences,
      ),
    { folder: ctx.folderName },
  );
  for (let i = 0; i < responses.Count; i++) {
    const response = responses.__thisIndexer(i);
    if (response.Result === ServiceResult.Success) continue;
    const code = serviceErrorName(response.ErrorCode) ?? 'error';
    if (NOT_FOUND.has(code)) continue; // gone already: what we wanted
    throw refused(ctx, 'DeleteItem', 'to delete the item', code, response.ErrorMessage ?? '');
  }
}

async function currentChangeKey(ctx: FolderContext, serverId: string): Promise<string> {
  const { service, caller } = ctx;
  const item = await caller.run(
    'GetItem',
    () => Item.Bind(service, new ItemId(serverId), PropertySet.IdOnly),
    { folder: ctx.folderName, passThrough: NOT_FOUND },
  );
  return item.Id.ChangeKey;
}

/**
 * Cancels, moves or resets the occurrences that differ between `current` (null for a new
 * series) and `wanted`, one occurrence at a time by its index in the series. Returns
 * whether anything was written (then the master's ChangeKey moved).
 */
async function writeOccurrences(
  ctx: FolderContext,
  masterId: ItemId,
  current: EventData | null,
  wanted: EventData,
): Promise<boolean> {
  const plan = occurrenceWrites(current, wanted);
  const what = `"${wanted.subject}"`;
  let wrote = false;
  for (const recurrenceId of plan.cancel) {
    const occurrence = await bindOccurrence(ctx, masterId, wanted, recurrenceId, what);
    if (occurrence === null) continue; // already gone
    await ctx.caller.run(
      'DeleteItem',
      () => occurrence.Delete(DeleteMode.MoveToDeletedItems, SendCancellationsMode.SendToNone),
      { folder: ctx.folderName },
    );
    wrote = true;
  }
  const changes = [
    ...plan.change,
    ...plan.reset.map((recurrenceId) => resetOverride(wanted, recurrenceId)),
  ];
  for (const override of changes) {
    const occurrence = await bindOccurrence(ctx, masterId, wanted, override.recurrenceId, what);
    if (occurrence === null) continue;
    applyOverrideToOccurrence(occurrence, wanted, override, what);
    try {
      await ctx.caller.run(
        'UpdateItem',
        // Just bound by us: AutoResolve, as the master's write already passed its guard.
        () =>
          occurrence.Update(
            ConflictResolutionMode.AutoResolve,
            SendInvitationsOrCancellationsMode.SendToNone,
          ),
        { folder: ctx.folderName, passThrough: ITEM_CODES },
      );
    } catch (err) {
      const which = `to change the occurrence ${override.recurrenceId} of ${what}`;
      throw itemFailure(err, ctx, 'UpdateItem', which);
    }
    wrote = true;
  }
  return wrote;
}

const OCCURRENCE_GONE = new Set([
  'ErrorItemNotFound',
  'ErrorCalendarOccurrenceIndexIsOutOfRecurrenceRange',
  'ErrorCalendarOccurrenceIsDeletedFromRecurrence',
]);

/** The occurrence `recurrenceId` of the series; null when Exchange no longer has it. */
async function bindOccurrence(
  ctx: FolderContext,
  masterId: ItemId,
  series: EventData,
  recurrenceId: string,
  what: string,
): Promise<Appointment | null> {
  const index = instanceIndex(series, recurrenceId);
  if (index === null) {
    throw new ItemError(
      `The occurrence ${recurrenceId} of ${what} is not one the series' rule produces; it was not written.`,
    );
  }
  try {
    return await ctx.caller.run(
      'GetItem',
      () => Appointment.BindToOccurrence(ctx.service, masterId, index, PropertySet.IdOnly),
      { folder: ctx.folderName, passThrough: OCCURRENCE_GONE },
    );
  } catch (err) {
    if (OCCURRENCE_GONE.has(ewsErrorCode(err) ?? '')) return null;
    throw err;
  }
}
