import type { ItemData, ItemIdentity } from '../../../sync/model.ts';

/** What readServerItem gives for one server item. */
export interface ReadResult {
  identity: ItemIdentity;
  data: ItemData;
  modifiedAt: string | null;
}
