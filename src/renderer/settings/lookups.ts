/** What the dialogs pick from: the server's folders and the CRM's lists, as they load. */
import type {
  AgendaKind,
  CrmLookups,
  FieldProblem,
  ServerFolderInfo,
} from '../../shared/app-api.ts';

export type Loadable<T> =
  | { state: 'idle' }
  | { state: 'loading' }
  | { state: 'ready'; value: T }
  | { state: 'failed'; message: string };

export type FoldersState = Loadable<ServerFolderInfo[]>;
export type LookupsState = Loadable<CrmLookups>;

export function readyValue<T>(loadable: Loadable<T>): T | undefined {
  return loadable.state === 'ready' ? loadable.value : undefined;
}

export function foldersOfKind(
  folders: readonly ServerFolderInfo[],
  kind: AgendaKind,
): ServerFolderInfo[] {
  return folders.filter((f) => f.kinds.includes(kind));
}

/** The folder a stored value names: by id, path or name, as the engine resolves it. */
export function findFolder(
  folders: readonly ServerFolderInfo[],
  stored: string,
): ServerFolderInfo | undefined {
  return (
    folders.find((f) => f.id === stored) ??
    folders.find((f) => f.path === stored) ??
    folders.find((f) => f.displayName.toLowerCase() === stored.toLowerCase())
  );
}

export function defaultFolder(
  folders: readonly ServerFolderInfo[],
  kind: AgendaKind,
): ServerFolderInfo | undefined {
  const ofKind = foldersOfKind(folders, kind);
  // A calendar may be the default for events while a task list is the default for tasks.
  const isDefault = (f: ServerFolderInfo) =>
    f.defaultFor === undefined ? f.isDefault : f.defaultFor.includes(kind);
  return ofKind.find(isDefault) ?? ofKind[0];
}

/** Counts for "Connected: 2 calendars, 1 address book". */
export function folderCounts(folders: readonly ServerFolderInfo[]): {
  calendars: number;
  taskLists: number;
  addressBooks: number;
} {
  return {
    calendars: foldersOfKind(folders, 'events').length,
    taskLists: folders.filter((f) => f.kinds.includes('tasks') && !f.kinds.includes('events'))
      .length,
    addressBooks: foldersOfKind(folders, 'contacts').length,
  };
}

/**
 * Kinds of folder a connection test found none of, for the wizard to offer creating them:
 * from the folders listed, or from the engine's "no folders" / "no calendars" refusal.
 */
export function missingFolderKinds(
  outcome:
    | { ok: true; folders: readonly ServerFolderInfo[] }
    | { ok: false; problems: readonly FieldProblem[] },
): AgendaKind[] {
  const all: AgendaKind[] = ['events', 'tasks', 'contacts'];
  if (outcome.ok) return all.filter((k) => foldersOfKind(outcome.folders, k).length === 0);
  const codes = new Set(outcome.problems.map((p) => p.code));
  if (codes.has('no-folders')) return all;
  if (codes.has('no-calendars')) return ['events', 'tasks'];
  return [];
}
