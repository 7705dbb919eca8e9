/** Values the engine derives from settings, kept next to the schema so all callers agree. */
import { dirname, isAbsolute, resolve } from 'node:path';
import { ConfigError } from '../errors.ts';
import { normalizeFingerprint } from '../../shared/settings-formats.ts';
import type { ConflictPolicy, Settings, TwoWayAgenda } from '../../shared/settings/schema.ts';

function resolveAgainstSettings(settingsFile: string, path: string): string {
  return isAbsolute(path) ? path : resolve(dirname(resolve(settingsFile)), path);
}

/**
 * The CRM database file as an absolute path. A relative crm.databasePath is relative to
 * the settings file's folder, so a settings file and its database can move together.
 */
export function resolveDatabasePath(settingsFile: string, settings: Settings): string {
  // An empty path would resolve to the settings folder itself, not to a database.
  if (settings.crm.databasePath.trim() === '') {
    throw new ConfigError(
      `Settings file ${resolve(settingsFile)}: crm.databasePath is empty; set the path of the CRM database file.`,
    );
  }
  return resolveAgainstSettings(settingsFile, settings.crm.databasePath);
}

/** The attachment folder as an absolute path, resolved like the database path. */
export function resolveAttachmentDirectory(settingsFile: string, settings: Settings): string {
  return resolveAgainstSettings(settingsFile, settings.agendas.mail.attachments.directory);
}

/** The conflict policy that applies to an agenda (its own, or the top-level one). */
export function effectiveConflictPolicy(settings: Settings, agenda: TwoWayAgenda): ConflictPolicy {
  const own = settings.agendas[agenda].conflictPolicy;
  return own === 'inherit' ? settings.conflictPolicy : own;
}

/**
 * The mailbox an Exchange service account opens by impersonation: the configured address,
 * else the CRM login plus the template; undefined when the own mailbox is used or neither
 * is set.
 */
export function impersonatedMailbox(settings: Settings): string | undefined {
  const ex = settings.connection.exchange;
  if (ex.mailboxMode !== 'impersonation') return undefined;
  if (ex.mailbox !== '') return ex.mailbox;
  if (ex.loginAsMailboxName && ex.mailboxTemplate !== '' && settings.crm.user !== '') {
    return `${settings.crm.user}${ex.mailboxTemplate}`;
  }
  return undefined;
}

/** The trusted certificate's SHA-256 as lowercase hex, or undefined when none is set. */
export function trustedFingerprint(settings: Settings): string | undefined {
  const value = settings.connection.trustedCertificate.sha256Fingerprint;
  return value === '' ? undefined : normalizeFingerprint(value);
}
