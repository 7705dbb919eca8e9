import type { ItemData, ItemIdentity } from '../../../model/items.ts';

/** What readServerItem gives for one server item. */
export interface ReadResult {
  identity: ItemIdentity;
  data: ItemData;
  modifiedAt: string | null;
}
