// SyncFolderItems. The sync state names a position in the folder's change log and a
// server-side record of the items the client knows, so Create/Update/Delete are exact
// however the pages fall.
import { resolveFolder, type OpContext } from '../context.ts';
import { decodeId, encodeId } from '../ids.ts';
import { parseShape, renderItem } from '../render.ts';
import { ItemError, ResponseMessages, SoapFault } from '../soap.ts';
import type { Store, StoredFolder } from '../store.ts';
import { child, childText, children, type XElement } from '../xml.ts';

interface SyncState {
  folderId: string;
  pos: number;
  known: Set<string>;
}

const statesByStore = new WeakMap<Store, Map<number, SyncState>>();

function states(store: Store): Map<number, SyncState> {
  let m = statesByStore.get(store);
  if (!m) statesByStore.set(store, (m = new Map()));
  return m;
}

function readState(ctx: OpContext, folder: StoredFolder, text: string | undefined): SyncState {
  if (!text) return { folderId: folder.id, pos: 0, known: new Set() };
  const parts = decodeId(text, 'SS');
  const st = parts ? states(ctx.store).get(Number(parts[1])) : undefined;
  if (!st || st.folderId !== folder.id || ctx.faults.takeInvalidSyncState(folder.id)) {
    throw new ItemError('ErrorInvalidSyncStateData');
  }
  return st;
}

function saveState(store: Store, st: SyncState): string {
  const m = states(store);
  const serial = m.size + 1;
  m.set(serial, st);
  return encodeId('SS', st.folderId, serial);
}

export function syncFolderItems(req: XElement, ctx: OpContext): ResponseMessages {
  const out = new ResponseMessages('SyncFolderItems');
  const max = Number(childText(req, 'MaxChangesReturned') ?? '0');
  if (!Number.isInteger(max) || max < 1 || max > 512) {
    throw new SoapFault(
      'ErrorSchemaValidation',
      'The request failed schema validation: MaxChangesReturned must be 1-512.',
    );
  }
  out.each(() => {
    const idEl = children(child(req, 'SyncFolderId') ?? req)[0];
    if (!idEl) throw new ItemError('ErrorFolderNotFound');
    const folder = resolveFolder(ctx, idEl);
    const prev = readState(ctx, folder, childText(req, 'SyncState')?.trim() || undefined);
    const shape = parseShape(child(req, 'ItemShape'), ctx.faults);
    const ignore = new Set(
      children(child(req, 'Ignore') ?? req, 'ItemId').map((i) => i.getAttribute('Id')),
    );
    const limit = Math.min(max, ctx.faults.pageSize ?? max);
    // Copy-on-write: pages without changes share the previous state's set.
    let known = prev.known;
    const own = (): Set<string> => {
      if (known === prev.known) known = new Set(prev.known);
      return known;
    };
    const changes: string[] = [];
    let i = prev.pos;
    const log = folder.log;
    while (i < log.length && changes.length < limit) {
      const entry = log[i++]!;
      if (folder.latestSeq.get(entry.itemId) !== entry.seq) continue;
      const item = folder.items.get(entry.itemId);
      const wasKnown = known.has(entry.itemId);
      if (!item) {
        if (wasKnown) {
          own().delete(entry.itemId);
          changes.push(`<t:Delete><t:ItemId Id="${entry.itemId}"/></t:Delete>`);
        }
        continue;
      }
      if (!wasKnown) own().add(item.id);
      if (ignore.has(item.id)) continue;
      const tag = wasKnown ? 'Update' : 'Create';
      changes.push(`<t:${tag}>${renderItem(item, shape)}</t:${tag}>`);
    }
    const next = saveState(ctx.store, { folderId: folder.id, pos: i, known });
    out.ok(
      `<m:SyncState>${next}</m:SyncState><m:IncludesLastItemInRange>${i >= log.length}</m:IncludesLastItemInRange>` +
        `<m:Changes>${changes.join('')}</m:Changes>`,
    );
  });
  return out;
}
