// GetUserConfiguration: the calendar's "CategoryList" (Outlook's master category list).
import { resolveFolder, type OpContext } from '../context.ts';
import { encodeId } from '../ids.ts';
import { ItemError, ResponseMessages } from '../soap.ts';
import { child, children, esc, toXml, type XElement } from '../xml.ts';

export function categoryListXml(categories: string[]): string {
  const items = categories
    .map(
      (name, i) =>
        `<category name="${esc(name)}" color="${i % 25}" keyboardShortcut="0" usageCount="0" lastTimeUsed="2026-01-01T00:00:00.000" ` +
        `guid="{${encodeId('cat', i).padEnd(8, '0').slice(0, 8)}-0000-0000-0000-000000000000}"/>`,
    )
    .join('');
  return `<?xml version="1.0"?><categories default="" lastSavedSession="0" lastSavedTime="2026-01-01T00:00:00.000" xmlns="CategoryList.xsd">${items}</categories>`;
}

export function getUserConfiguration(req: XElement, ctx: OpContext): ResponseMessages {
  const out = new ResponseMessages('GetUserConfiguration');
  out.each(() => {
    const nameEl = child(req, 'UserConfigurationName');
    const folderEl = nameEl ? children(nameEl)[0] : undefined;
    if (!nameEl || !folderEl) throw new ItemError('ErrorInvalidRequest');
    const folder = resolveFolder(ctx, folderEl);
    if (nameEl.getAttribute('Name') !== 'CategoryList' || folder.distinguished !== 'calendar') {
      throw new ItemError('ErrorItemNotFound');
    }
    const data = Buffer.from(categoryListXml(folder.mailbox.categories), 'utf8').toString('base64');
    out.ok(
      `<m:UserConfiguration><t:UserConfigurationName Name="CategoryList">${toXml(folderEl)}</t:UserConfigurationName>` +
        `<t:ItemId Id="${encodeId('AAMkC', folder.id)}" ChangeKey="${encodeId('CK', 0, folder.mailbox.categories.length)}"/>` +
        `<t:XmlData>${data}</t:XmlData></m:UserConfiguration>`,
    );
  });
  return out;
}
