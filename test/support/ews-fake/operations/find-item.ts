// FindItem: IndexedPageItemView (items as stored) and CalendarView (singles, occurrences
// and exceptions overlapping the window, by start). Restrictions and sort orders are not
// applied: the answer may hold more than a real server's.
import { resolveFolder, type OpContext, type Occurrence } from '../context.ts';
import { toUtc } from '../ids.ts';
import { expand } from '../recurrence.ts';
import { parseShape, renderItem } from '../render.ts';
import { ResponseMessages } from '../soap.ts';
import type { StoredFolder, StoredItem } from '../store.ts';
import { child, children, type XElement } from '../xml.ts';

interface Row {
  item: StoredItem;
  occ?: Occurrence;
  start: number;
}

function calendarRows(folder: StoredFolder, from: number, to: number): Row[] {
  const rows: Row[] = [];
  const overlaps = (s: number, e: number): boolean =>
    s < to && (e > from || (s === e && s >= from));
  for (const item of folder.items.values()) {
    if (item.kind !== 'CalendarItem') continue;
    if (!item.isRecurringMaster) {
      const s = Date.parse(item.text('Start') ?? '');
      const e = Date.parse(item.text('End') ?? '');
      if (overlaps(s, e)) rows.push({ item, start: s });
      continue;
    }
    const exp = expand(item);
    exp?.starts.forEach((original, i) => {
      if (item.deleted.has(original)) return;
      const ex = item.exceptions.get(original);
      const s = Date.parse(ex?.text('Start') ?? original);
      const e = ex ? Date.parse(ex.text('End') ?? original) : s + exp.durationMs;
      if (!overlaps(s, e)) return;
      rows.push(
        ex
          ? { item: ex, start: s }
          : { item, occ: { master: item, originalStart: original, index: i + 1 }, start: s },
      );
    });
  }
  return rows.sort((a, b) => a.start - b.start);
}

export function findItem(req: XElement, ctx: OpContext): ResponseMessages {
  const out = new ResponseMessages('FindItem');
  const shape = parseShape(child(req, 'ItemShape'), ctx.faults);
  const calendarView = child(req, 'CalendarView');
  const paged = child(req, 'IndexedPageItemView');
  for (const id of children(child(req, 'ParentFolderIds') ?? req)) {
    out.each(() => {
      const folder = resolveFolder(ctx, id);
      let rows: Row[];
      let offset = 0;
      if (calendarView) {
        const from = Date.parse(toUtc(calendarView.getAttribute('StartDate') ?? ''));
        const to = Date.parse(toUtc(calendarView.getAttribute('EndDate') ?? ''));
        rows = calendarRows(folder, from, to);
      } else {
        rows = [...folder.items.values()].map((item) => ({ item, start: 0 }));
        offset = Number(paged?.getAttribute('Offset') ?? 0);
        if (paged?.getAttribute('BasePoint') === 'End') rows.reverse();
      }
      const max =
        Number((calendarView ?? paged)?.getAttribute('MaxEntriesReturned') ?? rows.length) ||
        rows.length;
      const page = rows.slice(offset, offset + max);
      const last = offset + page.length >= rows.length;
      const items = page.map((r) => renderItem(r.item, shape, r.occ)).join('');
      const paging = calendarView ? '' : ` IndexedPagingOffset="${offset + page.length}"`;
      out.ok(
        `<m:RootFolder${paging} TotalItemsInView="${rows.length}" IncludesLastItemInRange="${last}"><t:Items>${items}</t:Items></m:RootFolder>`,
      );
    });
  }
  return out;
}
