import { describe, expect, it } from 'vitest';
import { ConflictResolutionMode, FolderId, WellKnownFolderName } from 'ews-javascript-api';
import type { Task } from 'ews-javascript-api';
import {
  applyToServerItem,
  newServerItem,
  readServerItem,
} from '../../src/core/servers/ews/mapping/index.ts';
import type { TaskData } from '../../src/core/model/items.ts';
import { createItemResponse, offlineService, updateItemResponse } from './support/offline.ts';
import { bindTask, stampXml, task } from './support/items.ts';

const identity = { uid: 'task-uid', crmStamp: '7' };

function readTask(item: Task): TaskData {
  const data = readServerItem('tasks', item, new Map()).data;
  if (data.kind !== 'task') throw new Error('not a task');
  return data;
}

describe('tasks', () => {
  it('reads dates stored as local midnights as the days they are', async () => {
    // Prague midnights (22:00/23:00 UTC the day before) and a UTC midnight.
    const item = await bindTask(
      '<t:Subject>Zavolat</t:Subject><t:DueDate>2026-03-30T22:00:00Z</t:DueDate><t:StartDate>2026-03-28T23:00:00Z</t:StartDate><t:Status>NotStarted</t:Status><t:PercentComplete>0</t:PercentComplete>',
    );
    const data = readTask(item);
    expect(data.start).toEqual({ date: '2026-03-29' });
    expect(data.due).toEqual({ date: '2026-03-31' });
    const utc = readTask(
      await bindTask('<t:Subject>X</t:Subject><t:DueDate>2026-03-31T00:00:00Z</t:DueDate>'),
    );
    expect(utc.due).toEqual({ date: '2026-03-31' });
  });

  it('reads completion, percentage, priority, privacy, categories and identity', async () => {
    const item = await bindTask(
      '<t:Subject>Hotovo</t:Subject><t:Sensitivity>Confidential</t:Sensitivity><t:Importance>High</t:Importance><t:Categories><t:String>b</t:String><t:String>a</t:String></t:Categories>' +
        stampXml('X-CRM-SYNC-ID', '7') +
        stampXml('X-CRM-SYNC-UID', 'task-uid') +
        '<t:CompleteDate>2026-03-30T22:00:00Z</t:CompleteDate><t:PercentComplete>100</t:PercentComplete><t:Status>Completed</t:Status>',
    );
    const read = readServerItem('tasks', item, new Map());
    expect(read.identity).toEqual(identity);
    expect(read.data).toMatchObject({
      completedAt: '2026-03-30T22:00:00.000Z',
      percentComplete: 100,
      priority: 'high',
      isPrivate: true,
      categories: ['a', 'b'],
    });
    const open = readTask(
      await bindTask(
        '<t:Subject>Open</t:Subject><t:Importance>Low</t:Importance><t:PercentComplete>50</t:PercentComplete><t:Status>InProgress</t:Status>',
      ),
    );
    expect(open).toMatchObject({
      completedAt: null,
      percentComplete: 50,
      priority: 'low',
      isPrivate: false,
    });
  });

  it('comes back as written: dates, completion instant, priority', () => {
    const { service } = offlineService();
    const data = task({
      description: 'Call back\nabout the offer',
      start: { date: '2026-03-29' },
      due: { date: '2026-03-31' },
      completedAt: '2026-03-31T15:42:10.000Z',
      percentComplete: 100,
      priority: 'high',
      isPrivate: true,
      categories: ['Hotline'],
    });
    const item = newServerItem(service, data, identity) as Task;
    expect(readServerItem('tasks', item, new Map())).toMatchObject({ identity, data });
  });

  it('writes days as noon UTC, a day in every zone the request may name', async () => {
    const offline = offlineService();
    const item = newServerItem(offline.service, task({ due: { date: '2026-03-31' } }), identity);
    offline.answer(createItemResponse('Task'));
    await item.Save(new FolderId(WellKnownFolderName.Tasks));
    expect(offline.requests[0]).toContain('<t:DueDate>2026-03-31T12:00:00.000+00:00</t:DueDate>');
    expect(offline.requests[0]).toContain('<t:Status>NotStarted</t:Status>');
  });

  it('removes a due date the CRM took away', async () => {
    const offline = offlineService();
    const item = await bindTask(
      '<t:Subject>Zavolat</t:Subject><t:DueDate>2026-03-30T22:00:00Z</t:DueDate>',
      offline,
    );
    const { identity: held } = readServerItem('tasks', item, new Map());
    const current = readTask(item);
    applyToServerItem(item, { ...current, due: null }, held, current);
    offline.answer(updateItemResponse());
    await item.Update(ConflictResolutionMode.NeverOverwrite);
    expect(offline.requests[1]).toMatch(/<t:DeleteItemField><t:FieldURI FieldURI="task:DueDate"/);
  });

  it('reopens a completed task and sends only that', async () => {
    const offline = offlineService();
    const item = await bindTask(
      '<t:Subject>Hotovo</t:Subject><t:CompleteDate>2026-03-30T22:00:00Z</t:CompleteDate><t:PercentComplete>100</t:PercentComplete><t:Status>Completed</t:Status>',
      offline,
    );
    const { identity: held } = readServerItem('tasks', item, new Map());
    const current = readTask(item);
    applyToServerItem(item, structuredClone(current), held, current);
    expect(item.IsDirty).toBe(false);
    applyToServerItem(item, { ...current, completedAt: null, percentComplete: 20 }, held, current);
    offline.answer(updateItemResponse());
    await item.Update(ConflictResolutionMode.NeverOverwrite);
    const soap = offline.requests[1] ?? '';
    expect(soap).toContain('<t:Status>InProgress</t:Status>');
    expect(soap).toContain('<t:PercentComplete>20</t:PercentComplete>');
    expect(soap).not.toContain('item:Subject');
  });
});
