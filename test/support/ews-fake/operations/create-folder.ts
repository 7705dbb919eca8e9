// CreateFolder: new folders under a parent, answered as Microsoft's sample does (the new
// folder's element with its FolderId only). SyncFolderHierarchy, GetFolder and FindFolder
// show it afterwards like any other folder.
import { resolveFolder, type OpContext } from '../context.ts';
import { renderFolder } from '../render.ts';
import { ItemError, ResponseMessages } from '../soap.ts';
import type { FolderClass } from '../types.ts';
import { child, childText, children, type XElement } from '../xml.ts';

/** The class Exchange gives a folder by its element, unless the request names one. */
const CLASS_OF_ELEMENT: Record<string, FolderClass> = {
  Folder: 'IPF.Note',
  CalendarFolder: 'IPF.Appointment',
  TasksFolder: 'IPF.Task',
  ContactsFolder: 'IPF.Contact',
};
const KNOWN_CLASSES = new Set<string>(Object.values(CLASS_OF_ELEMENT));

export function createFolder(req: XElement, ctx: OpContext): ResponseMessages {
  const out = new ResponseMessages('CreateFolder');
  const parentEl = children(child(req, 'ParentFolderId') ?? req)[0];
  for (const el of children(child(req, 'Folders') ?? req)) {
    out.each(() => {
      if (!parentEl) throw new ItemError('ErrorInvalidRequest');
      const parent = resolveFolder(ctx, parentEl);
      const name = childText(el, 'DisplayName')?.trim();
      const byElement = CLASS_OF_ELEMENT[el.localName ?? ''];
      const named = childText(el, 'FolderClass')?.trim();
      if (!name || byElement === undefined) throw new ItemError('ErrorInvalidRequest');
      if (named !== undefined && !KNOWN_CLASSES.has(named)) {
        throw new ItemError('ErrorInvalidRequest', `This fake keeps no folders of class ${named}.`);
      }
      // Exchange refuses a second folder of the same name under one parent.
      if (parent.childFolders.some((f) => f.displayName.toLowerCase() === name.toLowerCase())) {
        throw new ItemError('ErrorFolderExists');
      }
      const folderClass = (named as FolderClass | undefined) ?? byElement;
      const created = ctx.store.newFolder(parent.mailbox, parent, name, folderClass);
      out.ok(`<m:Folders>${renderFolder(created, 'IdOnly')}</m:Folders>`);
    }, '<m:Folders/>');
  }
  return out;
}
