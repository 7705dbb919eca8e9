// GetItem: items, exceptions and occurrences (ItemId, OccurrenceItemId, RecurringMasterItemId).
import { resolveItem, type OpContext } from '../context.ts';
import { parseShape, renderItem } from '../render.ts';
import { ItemError, ResponseMessages } from '../soap.ts';
import { child, children, type XElement } from '../xml.ts';

export function getItem(req: XElement, ctx: OpContext): ResponseMessages {
  const out = new ResponseMessages('GetItem');
  const shape = parseShape(child(req, 'ItemShape'), ctx.faults);
  for (const idEl of children(child(req, 'ItemIds') ?? req)) {
    out.each(() => {
      const id =
        idEl.getAttribute('Id') ??
        idEl.getAttribute('RecurringMasterId') ??
        idEl.getAttribute('OccurrenceId');
      if (id && ctx.faults.takeItemNotFound(id)) throw new ItemError('ErrorItemNotFound');
      const target = resolveItem(ctx, idEl);
      out.ok(`<m:Items>${renderItem(target.item, shape, target.occurrence)}</m:Items>`);
    }, '<m:Items/>');
  }
  return out;
}
