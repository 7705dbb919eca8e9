/**
 * The mailbox's calendars, task and contact folders: SyncFolderHierarchy from the top of
 * the IPM subtree (deep, paged) gives every folder with its parent, so paths are built
 * locally ("Calendar/Projects"); GetFolder on the distinguished ids marks the defaults.
 */
import {
  BasePropertySet,
  CalendarFolder,
  ChangeType,
  ContactsFolder,
  ExtendedPropertyDefinition,
  Folder,
  FolderId,
  MapiPropertyType,
  PropertySet,
  SearchFolder,
  TasksFolder,
  WellKnownFolderName,
} from 'ews-javascript-api';
import type { ChangeCollection, ExchangeService, FolderChange } from 'ews-javascript-api';
import type { AgendaKind } from '../../model/items.ts';
import type { ServerFolder } from '../connector.ts';
import { ServerError } from '../errors.ts';
import { ewsErrorCode } from './failures.ts';
import type { EwsCaller } from './throttle.ts';

/** PidTagAttributeHidden: folders Outlook does not show. */
const HIDDEN = new ExtendedPropertyDefinition(0x10f4, MapiPropertyType.Boolean);

/** Exact classes only: subclasses are system folders (Birthdays, Skype's quick contacts …). */
const KIND_OF_CLASS: Record<string, AgendaKind> = {
  'IPF.Appointment': 'events',
  'IPF.Task': 'tasks',
  'IPF.Contact': 'contacts',
};

const DEFAULTS: { name: WellKnownFolderName; kind: AgendaKind; label: string }[] = [
  { name: WellKnownFolderName.Calendar, kind: 'events', label: 'Calendar' },
  { name: WellKnownFolderName.Tasks, kind: 'tasks', label: 'Tasks' },
  { name: WellKnownFolderName.Contacts, kind: 'contacts', label: 'Contacts' },
];

interface FolderFacts {
  id: string;
  parentId: string | null;
  displayName: string;
  folderClass: string;
  hidden: boolean;
  search: boolean;
}

/** Id prefix of a default folder the account may not open (see listMailboxFolders). */
export const DENIED_FOLDER_PREFIX = 'denied:';

export interface MailboxFolders {
  folders: ServerFolder[];
  /**
   * Default folders this account may not open (a service account with rights to calendars
   * only), by the stand-in id listed for them: opening one reports the denial, so the
   * agenda says why it is not synchronised instead of "the server has no folder".
   */
  denied: Map<string, ServerError>;
}

export async function listMailboxFolders(
  service: ExchangeService,
  caller: EwsCaller,
): Promise<MailboxFolders> {
  const all = await folderHierarchy(service, caller);
  const { ids: defaults, denied: deniedDefaults } = await defaultFolderIds(service, caller);
  const deletedItems = await distinguishedId(
    service,
    caller,
    WellKnownFolderName.DeletedItems,
    'Deleted Items',
  );
  const out: ServerFolder[] = [];
  for (const facts of all.values()) {
    const kind = KIND_OF_CLASS[facts.folderClass];
    if (kind === undefined || facts.search || facts.hidden) continue;
    const chain = ancestry(facts, all);
    // Folders in Deleted Items are on their way out; hidden parents hide their children.
    if (chain.some((f) => f.id === deletedItems || f.hidden)) continue;
    out.push({
      id: facts.id,
      displayName: facts.displayName,
      path: chain.map((f) => f.displayName).join('/'),
      kinds: [kind],
      isDefault: defaults.get(kind) === facts.id,
    });
  }
  const denied = new Map<string, ServerError>();
  for (const def of DEFAULTS) {
    const refusal = deniedDefaults.get(def.kind);
    if (refusal === undefined || out.some((f) => f.kinds.includes(def.kind))) continue;
    const id = `${DENIED_FOLDER_PREFIX}${def.label}`;
    out.push({ id, displayName: def.label, path: def.label, kinds: [def.kind], isDefault: true });
    denied.set(id, refusal);
  }
  out.sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || a.path.localeCompare(b.path));
  return { folders: out, denied };
}

/** The folder and its ancestors inside the hierarchy, top first. */
function ancestry(facts: FolderFacts, all: Map<string, FolderFacts>): FolderFacts[] {
  const chain: FolderFacts[] = [facts];
  let parent = facts.parentId === null ? undefined : all.get(facts.parentId);
  while (parent !== undefined && chain.length < 64) {
    chain.unshift(parent);
    parent = parent.parentId === null ? undefined : all.get(parent.parentId);
  }
  return chain;
}

async function folderHierarchy(
  service: ExchangeService,
  caller: EwsCaller,
): Promise<Map<string, FolderFacts>> {
  // AllProperties holds display name, class and parent (and some counts we ignore).
  const props = new PropertySet(BasePropertySet.FirstClassProperties, [HIDDEN]);
  const root = new FolderId(WellKnownFolderName.MsgFolderRoot);
  const all = new Map<string, FolderFacts>();
  let state: string | null = null;
  for (let page = 0; page < 1000; page++) {
    const syncState: string | null = state;
    const changes: ChangeCollection<FolderChange> = await caller.run('SyncFolderHierarchy', () =>
      // The library sends no SyncState element for null (its typings say string).
      service.SyncFolderHierarchy(root, props, syncState as string),
    );
    for (const change of changes.GetEnumerator()) record(change, all);
    state = changes.SyncState;
    if (!changes.MoreChangesAvailable) break;
  }
  return all;
}

function record(change: FolderChange, all: Map<string, FolderFacts>): void {
  if (change.ChangeType === ChangeType.Delete) {
    all.delete(change.FolderId.UniqueId);
    return;
  }
  const folder = change.Folder;
  if (folder === null || folder === undefined) return;
  const hidden = { outValue: false as boolean | null };
  folder.TryGetProperty(HIDDEN, hidden);
  all.set(folder.Id.UniqueId, {
    id: folder.Id.UniqueId,
    parentId: folder.ParentFolderId?.UniqueId ?? null,
    displayName: folder.DisplayName ?? '',
    folderClass: folder.FolderClass ?? '',
    hidden: hidden.outValue === true,
    search: folder instanceof SearchFolder,
  });
}

async function defaultFolderIds(
  service: ExchangeService,
  caller: EwsCaller,
): Promise<{ ids: Map<AgendaKind, string>; denied: Map<AgendaKind, ServerError> }> {
  const ids = new Map<AgendaKind, string>();
  const denied = new Map<AgendaKind, ServerError>();
  for (const def of DEFAULTS) {
    const id = await distinguishedId(service, caller, def.name, def.label, (err) =>
      denied.set(def.kind, err),
    );
    if (id !== undefined) ids.set(def.kind, id);
  }
  return { ids, denied };
}

/**
 * The id of a distinguished folder; undefined when this account may not open it (a service
 * account denied the tasks folder still lists the calendar), after telling `onDenied`.
 */
async function distinguishedId(
  service: ExchangeService,
  caller: EwsCaller,
  name: WellKnownFolderName,
  label: string,
  onDenied: (err: ServerError) => void = () => {},
): Promise<string | undefined> {
  try {
    const folder = await caller.run(
      'GetFolder',
      () => Folder.Bind(service, name, PropertySet.IdOnly),
      { folder: label },
    );
    return folder.Id.UniqueId;
  } catch (err) {
    if (err instanceof ServerError && err.code === 'folder-access-denied') {
      onDenied(err);
      return undefined;
    }
    throw err;
  }
}

/** Opens the mailbox: proves the address, credentials, certificate and mailbox. */
export async function openMailboxRoot(service: ExchangeService, caller: EwsCaller): Promise<void> {
  await caller.run('GetFolder', () =>
    Folder.Bind(service, WellKnownFolderName.MsgFolderRoot, PropertySet.IdOnly),
  );
}

const FOLDER_EXISTS: ReadonlySet<string> = new Set(['ErrorFolderExists']);

const CLASS_OF_KIND: Record<AgendaKind, string> = {
  events: 'IPF.Appointment',
  tasks: 'IPF.Task',
  contacts: 'IPF.Contact',
};

/**
 * Creates a calendar, task or contact folder at the top of the mailbox, beside the default
 * ones (CreateFolder under msgfolderroot), and returns its id. The class is set explicitly
 * so the folder is listed as exactly that kind (see KIND_OF_CLASS).
 */
export async function createMailboxFolder(
  service: ExchangeService,
  caller: EwsCaller,
  kind: AgendaKind,
  name: string,
): Promise<string> {
  const folder =
    kind === 'events'
      ? new CalendarFolder(service)
      : kind === 'tasks'
        ? new TasksFolder(service)
        : new ContactsFolder(service);
  folder.DisplayName = name;
  folder.FolderClass = CLASS_OF_KIND[kind];
  try {
    await caller.run('CreateFolder', () => folder.Save(WellKnownFolderName.MsgFolderRoot), {
      folder: name,
      passThrough: FOLDER_EXISTS,
    });
  } catch (err) {
    if (FOLDER_EXISTS.has(ewsErrorCode(err) ?? '')) {
      throw new ServerError(
        `The mailbox already has a folder named "${name}"; choose another name, or pick that folder.`,
      );
    }
    throw err;
  }
  return folder.Id.UniqueId;
}
