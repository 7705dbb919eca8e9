// CreateItem: calendar items, tasks, contacts (and plain messages) into a folder.
import { checkFolderAccess, resolveFolder, type OpContext } from '../context.ts';
import { renderItemId } from '../render.ts';
import { ItemError, ResponseMessages } from '../soap.ts';
import type { StoredFolder } from '../store.ts';
import { child, children, type XElement } from '../xml.ts';

const DEFAULT_FOLDER: Record<string, string> = {
  CalendarItem: 'calendar',
  Task: 'tasks',
  Contact: 'contacts',
  Message: 'inbox',
  Item: 'inbox',
};

export function createItem(req: XElement, ctx: OpContext): ResponseMessages {
  const out = new ResponseMessages('CreateItem');
  const sendInvitations = req.getAttribute('SendMeetingInvitations');
  const savedIn = children(child(req, 'SavedItemFolderId') ?? req).find((c) =>
    /FolderId$/.test(c.localName ?? ''),
  );
  for (const itemEl of children(child(req, 'Items') ?? req)) {
    out.each(() => {
      if (itemEl.localName === 'CalendarItem' && !sendInvitations) {
        throw new ItemError(
          'ErrorSendMeetingInvitationsRequired',
          'SendMeetingInvitations is required for calendar items.',
        );
      }
      let folder: StoredFolder | undefined;
      if (savedIn) folder = resolveFolder(ctx, savedIn);
      else {
        const name = DEFAULT_FOLDER[itemEl.localName ?? ''];
        folder = name ? ctx.mailbox.distinguished.get(name) : undefined;
        if (!folder) throw new ItemError('ErrorFolderNotFound');
        checkFolderAccess(ctx, folder);
      }
      let item;
      try {
        item = ctx.store.createItem(folder, itemEl, ctx.timeZone);
      } catch (e) {
        throw new ItemError('ErrorInvalidRequest', e instanceof Error ? e.message : String(e));
      }
      out.ok(`<m:Items>${renderItemId(item)}</m:Items>`);
    }, '<m:Items/>');
  }
  return out;
}
