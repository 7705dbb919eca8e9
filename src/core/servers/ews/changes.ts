/**
 * A folder's change feed: SyncFolderItems (ids, change keys and subjects only, 512 per
 * page, until the server says the range is complete) from the saved SyncState, then the
 * created/updated items read in GetItem batches with the mapping's property set, and the
 * modified occurrences of recurring masters in batches of their own. A rejected state
 * starts over as a full listing; an item that cannot be read is a failure, never a deletion.
 */
import {
  Appointment,
  AppointmentType,
  BasePropertySet,
  ChangeType,
  Contact,
  ItemId,
  ItemSchema,
  PropertySet,
  ServiceResult,
  SyncFolderItemsScope,
  Task,
} from 'ews-javascript-api';
import type {
  ChangeCollection,
  ExchangeService,
  FolderId,
  Item,
  ItemChange,
} from 'ews-javascript-api';
import { describeCause } from '../../errors.ts';
import type { AgendaKind } from '../../model/items.ts';
import { failureCodeOf } from '../connector.ts';
import type { GoneVerdict, ServerChanges, ServerItemFailure, ServerRecord } from '../connector.ts';
import {
  EwsFault,
  SYNC_STATE_CODES,
  THROTTLING_CODES,
  detailsBackOffMs,
  ewsErrorCode,
  serviceErrorName,
  toServerError,
} from './failures.ts';
import { exceptionPropertySet, itemPropertySet, readServerItem } from './mapping/index.ts';
import type { EwsCaller } from './throttle.ts';

export const SYNC_PAGE_SIZE = 512;
export const GET_ITEM_BATCH = 100;
export const SYNC_STATE_FALLBACK = 'the server no longer accepts the saved sync state';

export interface FolderContext {
  service: ExchangeService;
  caller: EwsCaller;
  folderId: FolderId;
  /** For messages ("Calendar/Projects"). */
  folderName: string;
  kind: AgendaKind;
}

interface Listed {
  /** Created or updated since the state: id → subject (label for failures). */
  changed: Map<string, string>;
  deleted: Set<string>;
  state: string;
}

export async function readFolderChanges(
  ctx: FolderContext,
  token: string | null,
): Promise<ServerChanges> {
  let listed: Listed;
  let fallbackReason: string | undefined;
  let full = token === null;
  try {
    listed = await listChanges(ctx, token);
  } catch (err) {
    if (token === null || !SYNC_STATE_CODES.has(ewsErrorCode(err) ?? ''))
      throw asServerError(ctx, err);
    fallbackReason = SYNC_STATE_FALLBACK;
    full = true;
    try {
      listed = await listChanges(ctx, null);
    } catch (again) {
      throw asServerError(ctx, again);
    }
  }
  const { records, failures } = await readItems(ctx, listed.changed);
  return {
    full,
    listed: full,
    records,
    deleted: full ? [] : [...listed.deleted],
    failures,
    token: listed.state,
    ...(fallbackReason === undefined ? {} : { fallbackReason }),
  };
}

/** A sync-state refusal without a state to drop is the server's fault, like any other. */
function asServerError(ctx: FolderContext, err: unknown): unknown {
  if (!SYNC_STATE_CODES.has(ewsErrorCode(err) ?? '')) return err;
  return toServerError(err, {
    ...ctx.caller.context,
    operation: 'SyncFolderItems',
    folder: ctx.folderName,
  });
}

/** Whether a listed item is of the folder's kind (meeting requests, groups … are not). */
function ofKind(kind: AgendaKind, item: Item | null | undefined): boolean {
  if (item === null || item === undefined) return true;
  switch (kind) {
    case 'events':
      return item instanceof Appointment;
    case 'tasks':
      return item instanceof Task;
    case 'contacts':
      return item instanceof Contact;
  }
}

async function listChanges(ctx: FolderContext, token: string | null): Promise<Listed> {
  const { service, caller, folderId } = ctx;
  const props = new PropertySet(BasePropertySet.IdOnly, [ItemSchema.Subject]);
  const changed = new Map<string, string>();
  const deleted = new Set<string>();
  let state: string | null = token;
  for (let page = 0; ; page++) {
    const syncState: string | null = state;
    const changes: ChangeCollection<ItemChange> = await caller.run(
      'SyncFolderItems',
      () =>
        service.SyncFolderItems(
          folderId,
          props,
          // The library writes no Ignore/SyncState element for null (typings say otherwise).
          null as unknown as ItemId[],
          SYNC_PAGE_SIZE,
          SyncFolderItemsScope.NormalItems,
          syncState as string,
        ),
      { folder: ctx.folderName, passThrough: SYNC_STATE_CODES },
    );
    for (const change of changes.GetEnumerator()) {
      const id = change.ItemId?.UniqueId ?? change.Item?.Id?.UniqueId;
      if (id === undefined) continue;
      switch (change.ChangeType) {
        case ChangeType.Create:
        case ChangeType.Update:
          if (!ofKind(ctx.kind, change.Item)) break;
          deleted.delete(id);
          changed.set(id, subjectOf(change.Item));
          break;
        case ChangeType.Delete:
          changed.delete(id);
          deleted.add(id);
          break;
        default:
          break; // read-flag changes
      }
    }
    state = changes.SyncState;
    if (!changes.MoreChangesAvailable) break;
    if (page > 100_000) break; // a server that never says "last page"
  }
  return { changed, deleted, state: state ?? '' };
}

function subjectOf(item: Item | null | undefined): string {
  try {
    const subject: unknown = item?.Subject;
    return typeof subject === 'string' ? subject : '';
  } catch {
    return ''; // not loaded
  }
}

interface ReadOutcome {
  records: ServerRecord[];
  failures: ServerItemFailure[];
}

async function readItems(ctx: FolderContext, changed: Map<string, string>): Promise<ReadOutcome> {
  const records: ServerRecord[] = [];
  const failures: ServerItemFailure[] = [];
  const ids = [...changed.keys()];
  const label = (id: string, subject?: string) =>
    subject !== undefined && subject !== '' ? subject : changed.get(id) || `item ${shortId(id)}`;
  for (let i = 0; i < ids.length; i += GET_ITEM_BATCH) {
    const batch = ids.slice(i, i + GET_ITEM_BATCH);
    const loaded = await getItems(ctx, batch, itemPropertySet(ctx.kind));
    const items: Item[] = [];
    for (const [index, result] of loaded.entries()) {
      const id = batch[index] ?? '';
      if (result.item === undefined) {
        failures.push({ serverId: id, label: label(id), cause: result.error ?? 'unreadable' });
      } else if (ofKind(ctx.kind, result.item)) {
        items.push(result.item);
      }
    }
    const exceptions =
      ctx.kind === 'events' ? await readExceptions(ctx, items) : new Map<string, Appointment>();
    for (const item of items) {
      const id = item.Id.UniqueId;
      try {
        const record = readServerItem(ctx.kind, item, exceptions);
        records.push({
          ...record,
          serverId: id,
          version: item.Id.ChangeKey,
        });
      } catch (err) {
        failures.push({
          serverId: id,
          label: label(id, subjectOf(item)),
          cause: describeCause(err),
          ...failureCodeOf(err),
        });
      }
    }
  }
  return { records, failures };
}

/** The modified occurrences of the recurring masters among `items`, by occurrence id. */
export async function readExceptions(
  ctx: FolderContext,
  items: Item[],
): Promise<Map<string, Appointment>> {
  const ids: string[] = [];
  for (const item of items) {
    if (!(item instanceof Appointment)) continue;
    if (item.AppointmentType !== AppointmentType.RecurringMaster) continue;
    const modified = item.ModifiedOccurrences;
    if (modified === null || modified === undefined) continue;
    for (const occurrence of modified.GetEnumerator()) ids.push(occurrence.ItemId.UniqueId);
  }
  const out = new Map<string, Appointment>();
  for (let i = 0; i < ids.length; i += GET_ITEM_BATCH) {
    const batch = ids.slice(i, i + GET_ITEM_BATCH);
    const loaded = await getItems(ctx, batch, exceptionPropertySet());
    for (const [index, result] of loaded.entries()) {
      // An unreadable exception leaves its occurrence as the series has it; the master
      // still reads (the mapping sees it missing from the map).
      if (result.item instanceof Appointment) out.set(batch[index] ?? '', result.item);
    }
  }
  return out;
}

interface Loaded {
  item?: Item;
  error?: string;
  /** The EWS response code of an item that could not be read ("ErrorItemNotFound"). */
  code?: string;
}

/** One GetItem of many ids (errors per item); a throttled batch is retried whole. */
async function getItems(ctx: FolderContext, ids: string[], props: PropertySet): Promise<Loaded[]> {
  const { service, caller } = ctx;
  return caller.run(
    'GetItem',
    async () => {
      const itemIds = ids.map((id) => new ItemId(id));
      const responses = await service.BindToItems(itemIds, props);
      const out: Loaded[] = [];
      for (let i = 0; i < responses.Count; i++) {
        const response = responses.__thisIndexer(i);
        if (response.Result === ServiceResult.Success && response.Item) {
          out.push({ item: response.Item });
          continue;
        }
        const code = serviceErrorName(response.ErrorCode) ?? 'error';
        if (THROTTLING_CODES.has(code)) {
          const fault = {
            responseCode: code,
            text: response.ErrorMessage ?? '',
            backOffMs: detailsBackOffMs(response),
          };
          throw new EwsFault(fault, 200, 'GetItem');
        }
        out.push({ error: readError(code, response.ErrorMessage), code });
      }
      return out;
    },
    { folder: ctx.folderName },
  );
}

/**
 * Whether items a listing left out are gone from this folder: one GetItem per batch of ids.
 * Not found, or found in another folder (Outlook moves deleted items to Deleted Items), is
 * gone; a failed call says nothing either way.
 */
export async function confirmItemsGone(
  ctx: FolderContext,
  ids: string[],
): Promise<Map<string, GoneVerdict>> {
  const out = new Map<string, GoneVerdict>();
  const props = new PropertySet(BasePropertySet.IdOnly, [ItemSchema.ParentFolderId]);
  const folder = ctx.folderId.UniqueId;
  for (let i = 0; i < ids.length; i += GET_ITEM_BATCH) {
    const batch = ids.slice(i, i + GET_ITEM_BATCH);
    let loaded: Loaded[];
    try {
      loaded = await getItems(ctx, batch, props);
    } catch (err) {
      const error = describeCause(err);
      for (const id of ids.slice(i)) out.set(id, { error });
      return out;
    }
    for (const [index, result] of loaded.entries()) {
      const id = batch[index] ?? '';
      if (result.item !== undefined) {
        out.set(id, result.item.ParentFolderId?.UniqueId === folder ? 'present' : 'gone');
      } else if (result.code === 'ErrorItemNotFound') {
        out.set(id, 'gone');
      } else {
        out.set(id, { error: result.error ?? 'unreadable' });
      }
    }
  }
  return out;
}

function readError(code: string, message: string | null | undefined): string {
  if (code === 'ErrorItemNotFound')
    return 'the server lists it but cannot find it (ErrorItemNotFound)';
  return `the server could not read it (${code}${message ? `: ${message}` : ''})`;
}

function shortId(id: string): string {
  return id.length > 12 ? `…${id.slice(-12)}` : id;
}
