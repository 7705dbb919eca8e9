// DeleteItem: items, masters (with their exceptions) and single occurrences.
import { resolveItem, type OpContext } from '../context.ts';
import { ItemError, ResponseMessages } from '../soap.ts';
import { child, children, type XElement } from '../xml.ts';

export function deleteItem(req: XElement, ctx: OpContext): ResponseMessages {
  const out = new ResponseMessages('DeleteItem');
  const type = req.getAttribute('DeleteType') ?? 'HardDelete';
  ctx.faults.runWriteHook();
  for (const idEl of children(child(req, 'ItemIds') ?? req)) {
    out.each(() => {
      const target = resolveItem(ctx, idEl);
      const item = target.item;
      if (target.occurrence) {
        target.occurrence.master.deleted.add(target.occurrence.originalStart);
        target.occurrence.master.touch([]);
      } else if (item.master && item.originalStart) {
        const master = item.master;
        master.exceptions.delete(item.originalStart);
        master.deleted.add(item.originalStart);
        ctx.store.items.delete(item.id);
        master.touch([]);
      } else if (type === 'MoveToDeletedItems' && item.folder.distinguished !== 'deleteditems') {
        const bin = item.folder.mailbox.distinguished.get('deleteditems');
        if (!bin) throw new ItemError('ErrorFolderNotFound');
        ctx.store.moveItem(item, bin);
      } else {
        ctx.store.deleteItem(item);
      }
      out.ok('');
    });
  }
  return out;
}
