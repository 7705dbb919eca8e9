/**
 * The kill wire of the fake Exchange (see kill-switch.ts): the fake runs in the test
 * process and watches its own SOAP calls through its onRequest hook, so a kill is pinned to
 * a call as it arrives (the fake never carries it out) or once the fake has carried it out
 * but before it answers (the mailbox changed, the command never learns it did). In both
 * cases, and for every call after the kill, the fake hangs up instead of answering.
 */
import type { FakeEws, FakeRequestEvent } from './ews-fake/index.ts';
import { TriggerCounter } from './kill-switch.ts';
import type { CallKind, KillWire, WireCall } from './kill-switch.ts';

/** The EWS operations that change the mailbox. */
export const WRITE_OPERATIONS: ReadonlySet<string> = new Set([
  'CreateItem',
  'UpdateItem',
  'DeleteItem',
  'MoveItem',
  'CopyItem',
  'CreateFolder',
  'UpdateFolder',
  'DeleteFolder',
  'CreateUserConfiguration',
  'UpdateUserConfiguration',
]);

export const kindOf = (operation: string): CallKind =>
  WRITE_OPERATIONS.has(operation) ? 'write' : 'read';

export function fakeEwsKillWire(fake: FakeEws): KillWire {
  let calls: WireCall[] = [];
  return {
    arm(trigger, kill) {
      calls = [];
      const counter = new TriggerCounter(trigger);
      let killed = false;
      const killNow = (): void => {
        killed = true;
        kill();
      };
      fake.faults.onRequest((event: FakeRequestEvent) => {
        const kind = kindOf(event.operation);
        const creates = event.operation === 'CreateItem';
        if (event.stage === 'arrived') {
          const call: WireCall = {
            name: event.operation,
            kind,
            creates,
            path: null,
            outcome: 'in flight',
          };
          calls.push(call);
          if (killed) return 'hang-up';
          if (counter.arrives(kind)) {
            killNow();
            call.outcome = 'not carried out';
            return 'hang-up';
          }
          return undefined;
        }
        const call = calls.findLast((c) => c.name === event.operation);
        if (counter.carriedOut(kind, creates)) killNow();
        if (killed) {
          if (call) call.outcome = 'answer lost';
          return 'hang-up';
        }
        if (call) call.outcome = 'answered';
        return undefined;
      });
    },
    calls: () => calls,
    disarm() {
      fake.faults.onRequest(null);
    },
  };
}
