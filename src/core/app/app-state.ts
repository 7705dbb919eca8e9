/**
 * What the app remembers between starts that is not a sync setting: whether the user
 * paused synchronisation. Kept in its own small file (main puts it in the app's user data
 * folder), not in the settings file the CLI edits and shares: `crm-sync` has no pause, and
 * a pause in the app must not stop a `crm-sync daemon` reading the same settings.
 */
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { writeFileAtomic } from '../atomic-write.ts';

const AppStateSchema = z.object({ paused: z.boolean().default(false) });
export type AppState = z.infer<typeof AppStateSchema>;

const DEFAULT_STATE: AppState = { paused: false };

/** The remembered state; the defaults when the file is missing or unreadable. */
export function loadAppState(file: string): AppState {
  if (!existsSync(file)) return { ...DEFAULT_STATE };
  try {
    const parsed = AppStateSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : { ...DEFAULT_STATE };
  } catch {
    // A damaged file is not worth failing the start for: the app starts unpaused.
    return { ...DEFAULT_STATE };
  }
}

export function saveAppState(file: string, state: AppState): void {
  writeFileAtomic(file, `${JSON.stringify(state, null, 2)}\n`);
}
