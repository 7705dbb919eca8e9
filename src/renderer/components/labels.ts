/** Words for the engine's codes (actions, phases, statuses), with the code as fallback. */
import type { ParseKeys, TFunction } from 'i18next';

const ACTIONS = {
  'create-server': 'action.createServer',
  'update-server': 'action.updateServer',
  'delete-server': 'action.deleteServer',
  'create-crm': 'action.createCrm',
  'update-crm': 'action.updateCrm',
  'delete-crm': 'action.deleteCrm',
  link: 'action.link',
  untrack: 'action.untrack',
  skip: 'action.skip',
  refused: 'action.refused',
  'not-synchronised': 'action.notSynchronised',
} as const;

const AGENDAS = {
  events: 'agenda.events',
  tasks: 'agenda.tasks',
  contacts: 'agenda.contacts',
  mail: 'agenda.mail',
} as const;

const RUN_STATUS = {
  running: 'runStatus.running',
  ok: 'runStatus.ok',
  partial: 'runStatus.partial',
  failed: 'runStatus.failed',
  refused: 'runStatus.refused',
  interrupted: 'runStatus.interrupted',
} as const;

const OUTCOMES = {
  done: 'outcome.done',
  failed: 'outcome.failed',
  planned: 'outcome.planned',
  skipped: 'outcome.skipped',
} as const;

const PHASES = {
  reading: 'phase.reading',
  planning: 'phase.planning',
  writing: 'phase.writing',
  done: 'phase.done',
} as const;

const TRIGGERS = {
  manual: 'trigger.manual',
  schedule: 'trigger.schedule',
  startup: 'trigger.startup',
  wake: 'trigger.wake',
  resume: 'trigger.resume',
  settings: 'trigger.settings',
  cli: 'trigger.cli',
  daemon: 'trigger.daemon',
} as const;

const ENTITIES = {
  event: 'entity.event',
  task: 'entity.task',
  person: 'entity.person',
  contact: 'entity.person',
  company: 'entity.company',
} as const;

function lookup<M extends Record<string, string>>(map: M, code: string): M[keyof M] | undefined {
  return Object.hasOwn(map, code) ? map[code as keyof M] : undefined;
}

function make<M extends Record<string, ParseKeys>>(map: M) {
  return (t: TFunction, code: string): string => {
    const key: ParseKeys | undefined = lookup(map, code);
    return key === undefined ? code : t(key);
  };
}

export const actionLabel = make(ACTIONS);
export const agendaLabel = make(AGENDAS);
export const runStatusLabel = make(RUN_STATUS);
export const outcomeLabel = make(OUTCOMES);
export const phaseLabel = make(PHASES);
export const triggerLabel = make(TRIGGERS);
export const entityLabel = make(ENTITIES);
