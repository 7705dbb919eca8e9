// EWS operations by SOAP body element name.
import type { OpContext } from '../context.ts';
import type { ResponseMessages } from '../soap.ts';
import type { XElement } from '../xml.ts';
import { createFolder } from './create-folder.ts';
import { createItem } from './create-item.ts';
import { deleteItem } from './delete-item.ts';
import { findFolder, getFolder, syncFolderHierarchy } from './folders.ts';
import { findItem } from './find-item.ts';
import { getItem } from './get-item.ts';
import { syncFolderItems } from './sync-folder-items.ts';
import { updateItem } from './update-item.ts';
import { getUserConfiguration } from './user-configuration.ts';

export const OPERATIONS: Record<string, (req: XElement, ctx: OpContext) => ResponseMessages> = {
  GetFolder: getFolder,
  CreateFolder: createFolder,
  FindFolder: findFolder,
  SyncFolderHierarchy: syncFolderHierarchy,
  SyncFolderItems: syncFolderItems,
  FindItem: findItem,
  GetItem: getItem,
  CreateItem: createItem,
  UpdateItem: updateItem,
  DeleteItem: deleteItem,
  GetUserConfiguration: getUserConfiguration,
};
