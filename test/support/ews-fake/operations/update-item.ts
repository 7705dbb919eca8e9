// UpdateItem with ChangeKey conflict detection; updating an occurrence makes an exception.
import { resolveItem, type OpContext, type Target } from '../context.ts';
import { applyUpdate } from '../item-edit.ts';
import { expand } from '../recurrence.ts';
import { fieldName, renderItemId } from '../render.ts';
import { ItemError, ResponseMessages } from '../soap.ts';
import { extKey, type StoredItem } from '../store.ts';
import { child, children, type XElement } from '../xml.ts';

function checkConflict(
  item: StoredItem,
  changeKey: string | null,
  mode: string,
  fields: string[],
): void {
  if (!changeKey || mode === 'AlwaysOverwrite') return;
  const sent = item.versionOf(changeKey);
  if (sent === item.version) return;
  if (sent === undefined || mode === 'NeverOverwrite')
    throw new ItemError('ErrorIrresolvableConflict');
  // AutoResolve: a conflict only if a field being set changed since the client's version.
  if (fields.some((f) => (item.fieldVersion.get(f) ?? 0) > sent))
    throw new ItemError('ErrorIrresolvableConflict');
}

function fieldsOf(updates: XElement[]): string[] {
  return updates.map((u) => {
    const uri = children(u)[0];
    if (!uri) return '';
    return uri.localName === 'ExtendedFieldURI'
      ? `ext:${extKey(uri)}`
      : fieldName(uri.getAttribute('FieldURI') ?? '');
  });
}

/** The stored item an update applies to: an occurrence first becomes an exception. */
function editable(ctx: OpContext, target: Target): StoredItem {
  if (!target.occurrence) return target.item;
  const { master, originalStart } = target.occurrence;
  const dur = expand(master)?.durationMs ?? 0;
  const start = new Date(originalStart);
  return ctx.store.createException(master, originalStart, start, new Date(start.getTime() + dur));
}

export function updateItem(req: XElement, ctx: OpContext): ResponseMessages {
  const out = new ResponseMessages('UpdateItem');
  const mode = req.getAttribute('ConflictResolution') ?? 'AutoResolve';
  const sendMode = req.getAttribute('SendMeetingInvitationsOrCancellations');
  ctx.faults.runWriteHook();
  for (const change of children(child(req, 'ItemChanges') ?? req, 'ItemChange')) {
    out.each(() => {
      const idEl = children(change)[0];
      if (!idEl) throw new ItemError('ErrorInvalidIdMalformed');
      const target = resolveItem(ctx, idEl);
      if (target.item.kind === 'CalendarItem' && !sendMode) {
        throw new ItemError(
          'ErrorSendMeetingInvitationsOrCancellationsRequired',
          'SendMeetingInvitationsOrCancellations is required for calendar items.',
        );
      }
      const updates = children(child(change, 'Updates') ?? change);
      checkConflict(target.item, idEl.getAttribute('ChangeKey'), mode, fieldsOf(updates));
      const item = editable(ctx, target);
      const changed: string[] = [];
      for (const u of updates) changed.push(...applyUpdate(item, u));
      if (changed.includes('Recurrence') && !item.master) {
        // A new pattern drops the old exceptions, as Exchange does.
        for (const ex of item.exceptions.values()) ctx.store.items.delete(ex.id);
        item.exceptions.clear();
        item.deleted.clear();
      }
      item.touch(changed);
      out.ok(
        `<m:Items>${renderItemId(item)}</m:Items><m:ConflictResults><t:Count>0</t:Count></m:ConflictResults>`,
      );
    }, '<m:Items/>');
  }
  return out;
}
