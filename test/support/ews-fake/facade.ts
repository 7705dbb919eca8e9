// The test-side view of mailboxes, folders and items (FakeMailbox, FakeFolder, FakeItem):
// "another Outlook client" editing the store directly, with the same change semantics.
import { expand } from './recurrence.ts';
import {
  simpleField,
  type Store,
  type StoredFolder,
  type StoredItem,
  type StoredMailbox,
} from './store.ts';
import { isoUtc, toUtc } from './ids.ts';
import type { FakeFolder, FakeItem, FakeMailbox, FolderClass, OccurrenceChange } from './types.ts';
import { children, parseXml, TM_DECL } from './xml.ts';

function elementsOf(xml: string): ReturnType<typeof children> {
  return children(parseXml(`<w ${TM_DECL}>${xml}</w>`));
}

export function itemView(item: StoredItem): FakeItem {
  return {
    id: item.id,
    get changeKey() {
      return item.changeKey;
    },
    xml: () => item.xml(),
    field: (name) => item.text(name),
    extendedProperty: (name) => [...item.allExt().values()].find((e) => e.name === name)?.value,
    exceptions: () => [...item.exceptions.values()].map(itemView),
    deletedOccurrences: () => [...item.deleted].sort(),
  };
}

function itemIn(store: Store, folder: StoredFolder, id: string): StoredItem {
  const item = store.items.get(id);
  if (!item || (item.master ?? item).folder !== folder)
    throw new Error(`no item ${id} in folder ${folder.displayName}`);
  return item;
}

function masterIn(store: Store, folder: StoredFolder, id: string): StoredItem {
  const master = itemIn(store, folder, id);
  if (!master.isRecurringMaster) throw new Error(`item ${id} is not a recurring master`);
  return master;
}

export function folderView(store: Store, folder: StoredFolder): FakeFolder {
  return {
    id: folder.id,
    get displayName() {
      return folder.displayName;
    },
    items: () => [...folder.items.values()].map(itemView),
    create(xml) {
      const el = elementsOf(xml)[0];
      if (!el) throw new Error('create() needs one item element');
      return itemView(store.createItem(folder, el));
    },
    update(itemId, setXml) {
      const item = itemIn(store, folder, itemId);
      const changed = elementsOf(setXml).map((el) => item.put(el) ?? '');
      if (changed.includes('Recurrence')) {
        for (const ex of item.exceptions.values()) store.items.delete(ex.id);
        item.exceptions.clear();
        item.deleted.clear();
      }
      item.touch(changed);
      return itemView(item);
    },
    remove(itemId) {
      const item = itemIn(store, folder, itemId);
      if (item.master && item.originalStart)
        this.deleteOccurrence(item.master.id, item.originalStart);
      else store.deleteItem(item);
    },
    modifyOccurrence(masterId: string, originalStartUtc: string, change: OccurrenceChange) {
      const master = masterIn(store, folder, masterId);
      const original = toUtc(originalStartUtc);
      const exp = expand(master);
      let ex = master.exceptions.get(original);
      if (!ex) {
        if (!exp?.starts.includes(original) || master.deleted.has(original)) {
          throw new Error(`${original} is not an occurrence of ${masterId}`);
        }
        const start = new Date(original);
        ex = store.createException(
          master,
          original,
          start,
          new Date(start.getTime() + exp.durationMs),
        );
      }
      const changed: string[] = [];
      const set = (name: string, value: string | undefined): void => {
        if (value === undefined) return;
        ex.fields.set(
          name,
          simpleField(
            name,
            name === 'Start' || name === 'End' ? isoUtc(new Date(toUtc(value))) : value,
          ),
        );
        changed.push(name);
      };
      set('Start', change.start);
      set('End', change.end);
      set('Subject', change.subject);
      set('Location', change.location);
      ex.touch(changed);
    },
    deleteOccurrence(masterId, originalStartUtc) {
      const master = masterIn(store, folder, masterId);
      const original = toUtc(originalStartUtc);
      const ex = master.exceptions.get(original);
      if (ex) {
        master.exceptions.delete(original);
        store.items.delete(ex.id);
      } else if (!expand(master)?.starts.includes(original)) {
        throw new Error(`${original} is not an occurrence of ${masterId}`);
      }
      master.deleted.add(original);
      master.touch([]);
    },
  };
}

export function mailboxView(store: Store, mb: StoredMailbox): FakeMailbox {
  return {
    smtp: mb.smtp,
    folder(distinguished) {
      const f = mb.distinguished.get(distinguished.toLowerCase());
      if (!f) throw new Error(`no distinguished folder ${distinguished}`);
      return folderView(store, f);
    },
    addFolder(parent, displayName, folderClass: FolderClass) {
      const p = store.folders.get(parent.id);
      if (!p || p.mailbox !== mb) throw new Error('parent folder is not in this mailbox');
      return folderView(store, store.newFolder(mb, p, displayName, folderClass));
    },
    get categories() {
      return mb.categories;
    },
    set categories(value: string[]) {
      mb.categories = value;
    },
  };
}
