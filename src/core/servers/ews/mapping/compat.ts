/**
 * Makes ews-javascript-api 0.15.3 run on Node 24. It calls util.isNullOrUndefined (removed
 * in Node 23) whenever it writes an extended property's field URI, which every request for
 * our stamp does. Importing this module puts the old helper back, once, before any request.
 */
import util from 'node:util';

const utilities = util as unknown as Record<string, unknown>;
if (typeof utilities.isNullOrUndefined !== 'function') {
  utilities.isNullOrUndefined = (value: unknown): boolean => value === null || value === undefined;
}

// Zones named by a definition the library cannot parse are kept (see that module).
import './lenient-time-zones.ts';
