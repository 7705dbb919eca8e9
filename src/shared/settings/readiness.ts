/**
 * What is still missing before a sync can run. A settings file may be valid yet
 * incomplete (the wizard saves as it goes, `crm-sync init` writes defaults): these are
 * the gaps, each naming the key to set, for `crm-sync status` and the wizard.
 *
 * Each gap is one English sentence (the CLI prints it) with a code and parameters
 * (message-codes.ts) the app words it by; `field` is the key the sentence names first.
 * The rules themselves are in rules.ts, shared with the app's checks.
 */
import {
  categoryPairsRule,
  connectionRules,
  crmRules,
  exportGroupsRule,
  noAgendaRule,
} from './rules.ts';
import type { RuleProblem } from './rules.ts';
import type { Settings } from './schema.ts';
import { unavailableFeatures } from './unavailable.ts';

/** A gap, with the key it concerns and its code (rules.ts). */
export type ReadinessProblem = RuleProblem;

/** What is missing, each with the key it concerns and its code; empty = ready. */
export function readinessIssues(settings: Settings): ReadinessProblem[] {
  const { events, tasks } = settings.agendas;
  const activities = [
    ['events', events],
    ['tasks', tasks],
  ] as const;
  // What this version cannot do comes first: completing other settings would not help.
  const unavailable = unavailableFeatures(settings).map((u) => ({
    field: u.field,
    message: u.message,
    code: u.code,
    params: { ...u.params, field: u.field },
  }));
  return [
    ...unavailable,
    ...crmRules(settings.crm),
    ...connectionRules(settings.connection),
    ...noAgendaRule(settings.agendas),
    ...activities.flatMap(([name, a]) => (a.enabled ? categoryPairsRule(name, a) : [])),
    ...activities.flatMap(([name, a]) => (a.enabled ? exportGroupsRule(name, a) : [])),
  ];
}

/** Each problem is one sentence naming the setting key and what to do; empty = ready. */
export function readinessProblems(settings: Settings): string[] {
  return readinessIssues(settings).map((p) => p.message);
}
