/**
 * The CRM database the settings name, opened for one use and closed after it. It is
 * migrated on opening, as the CLI does; it is never created here (the wizard and
 * `crm-sync init` do that).
 */
import { openCrmDatabase } from '../crm/database.ts';
import type { CrmDatabase } from '../crm/database.ts';

export function withCrmDatabase<T>(path: string, use: (db: CrmDatabase) => T): T {
  const db = openCrmDatabase(path, { create: false });
  try {
    return use(db);
  } finally {
    db.close();
  }
}

export async function withCrmDatabaseAsync<T>(
  path: string,
  use: (db: CrmDatabase) => Promise<T>,
): Promise<T> {
  const db = openCrmDatabase(path, { create: false });
  try {
    return await use(db);
  } finally {
    db.close();
  }
}
