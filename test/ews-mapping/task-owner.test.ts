/**
 * The owner fact of an Exchange task (agendas.tasks.ownerOnly): the Owner of an assigned
 * task; a task never assigned is the mailbox's own whatever Owner Exchange gives it.
 */
import { describe, expect, it } from 'vitest';
import { readServerItem } from '../../src/core/servers/ews/mapping/index.ts';
import type { TaskData } from '../../src/core/model/items.ts';
import { bindTask } from './support/items.ts';

async function read(fields: string): Promise<TaskData> {
  const data = readServerItem('tasks', await bindTask(fields), new Map()).data;
  if (data.kind !== 'task') throw new Error('not a task');
  return data;
}

describe('Exchange task owner', () => {
  it('names the owner of a task assigned to someone else', async () => {
    const data = await read(
      '<t:Subject>Předat</t:Subject><t:DelegationState>Owned</t:DelegationState><t:Delegator>Petr Bartoš</t:Delegator><t:Owner>Jana Nováková</t:Owner>',
    );
    expect(data.owner).toEqual({ email: '', name: 'Jana Nováková' });
  });

  it('gives no owner to a task that was never assigned', async () => {
    const data = await read(
      '<t:Subject>Moje</t:Subject><t:DelegationState>NoMatch</t:DelegationState><t:Owner>Bartoš Petr</t:Owner>',
    );
    expect(data.owner).toBeUndefined();
    expect((await read('<t:Subject>Bez stavu</t:Subject>')).owner).toBeUndefined();
  });
});
