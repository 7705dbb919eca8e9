// GetFolder, FindFolder, SyncFolderHierarchy.
import { resolveFolder, type OpContext } from '../context.ts';
import { decodeId, encodeId } from '../ids.ts';
import { renderFolder } from '../render.ts';
import { ItemError, ResponseMessages } from '../soap.ts';
import type { StoredFolder } from '../store.ts';
import { child, childText, children, type XElement } from '../xml.ts';

function baseShape(req: XElement): string {
  return childText(child(req, 'FolderShape'), 'BaseShape')?.trim() ?? 'Default';
}

export function getFolder(req: XElement, ctx: OpContext): ResponseMessages {
  const out = new ResponseMessages('GetFolder');
  const shape = baseShape(req);
  for (const id of children(child(req, 'FolderIds') ?? req)) {
    out.each(
      () => out.ok(`<m:Folders>${renderFolder(resolveFolder(ctx, id), shape)}</m:Folders>`),
      '<m:Folders/>',
    );
  }
  return out;
}

/** Sub-folders; folders denied to an impersonating account are listed but cannot be opened. */
function descendants(f: StoredFolder, deep: boolean, out: StoredFolder[]): void {
  for (const c of f.childFolders) {
    out.push(c);
    if (deep) descendants(c, deep, out);
  }
}

export function findFolder(req: XElement, ctx: OpContext): ResponseMessages {
  const out = new ResponseMessages('FindFolder');
  const shape = baseShape(req);
  const deep = req.getAttribute('Traversal') === 'Deep';
  const view = child(req, 'IndexedPageFolderView');
  for (const id of children(child(req, 'ParentFolderIds') ?? req)) {
    out.each(() => {
      const found: StoredFolder[] = [];
      descendants(resolveFolder(ctx, id), deep, found);
      const offset = Number(view?.getAttribute('Offset') ?? 0);
      const max = Number(view?.getAttribute('MaxEntriesReturned') ?? found.length) || found.length;
      const page = found.slice(offset, offset + max);
      const last = offset + page.length >= found.length;
      out.ok(
        `<m:RootFolder IndexedPagingOffset="${offset + page.length}" TotalItemsInView="${found.length}" IncludesLastItemInRange="${last}">` +
          `<t:Folders>${page.map((f) => renderFolder(f, shape)).join('')}</t:Folders></m:RootFolder>`,
      );
    });
  }
  return out;
}

/** Sync state: how many of the mailbox's folders the client has seen. */
export function syncFolderHierarchy(req: XElement, ctx: OpContext): ResponseMessages {
  const out = new ResponseMessages('SyncFolderHierarchy');
  const shape = baseShape(req);
  out.each(() => {
    const rootEl = children(child(req, 'SyncFolderId') ?? req).find((c) =>
      /FolderId$/.test(c.localName ?? ''),
    );
    const root = rootEl
      ? resolveFolder(ctx, rootEl)
      : ctx.mailbox.distinguished.get('msgfolderroot');
    if (!root) throw new ItemError('ErrorFolderNotFound');
    const stateText = childText(req, 'SyncState')?.trim();
    let seen = 0;
    if (stateText) {
      const st = decodeId(stateText, 'HS');
      if (!st || st[0] !== root.id) throw new ItemError('ErrorInvalidSyncStateData');
      seen = Number(st[1]);
    }
    const all: StoredFolder[] = [];
    descendants(root, true, all);
    const list = root.mailbox.folderList;
    const fresh = all.filter((f) => list.indexOf(f) >= seen);
    const changes = fresh.map((f) => `<t:Create>${renderFolder(f, shape)}</t:Create>`).join('');
    out.ok(
      `<m:SyncState>${encodeId('HS', root.id, list.length)}</m:SyncState>` +
        `<m:IncludesLastFolderInRange>true</m:IncludesLastFolderInRange><m:Changes>${changes}</m:Changes>`,
    );
  });
  return out;
}
