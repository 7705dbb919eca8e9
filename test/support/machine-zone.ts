/**
 * For tests of what the user sees in the machine's time zone (the tray's and the window's
 * times): sets that zone for the file's tests, whatever zone the suite runs in (Node applies
 * a TZ set at run time to Date and Intl), and puts the suite's back afterwards.
 */
import { afterAll, beforeAll } from 'vitest';

export function inMachineZone(zone: string): void {
  const suiteZone = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = zone;
  });
  afterAll(() => {
    if (suiteZone === undefined) delete process.env.TZ;
    else process.env.TZ = suiteZone;
  });
}
