/**
 * Builders for the leaves of the settings schema. Each leaf carries, besides its zod
 * schema and `.describe()` text, a small record of what kind of value it holds and what a
 * valid value is: `config set` parses text by that kind, error messages say "<key> must be
 * <expectation>", and the configuration reference prints the same words, so the three
 * never disagree.
 */
import { z } from 'zod';
import type { ExpectationCode, MessageParams } from '../message-codes.ts';

export type FieldKind =
  | 'text'
  | 'integer'
  | 'number'
  | 'boolean'
  | 'choice'
  | 'textList'
  | 'extensionList'
  | 'categoryPairs'
  | 'version';

export interface FieldMeta {
  readonly kind: FieldKind;
  /** Completes "<key> must be ..." (errors) and "Allowed: ..." (reference). */
  readonly expectation: string;
  /** The expectation's code (the app words it as expectation.<code>) and its parameters. */
  readonly expects: ExpectationCode;
  readonly expectsParams?: MessageParams;
  /** The allowed values of a `choice`. */
  readonly choices?: readonly string[];
}

/** Leaf schemas of the settings, with what they hold. Groups are not registered here. */
export const fieldMeta = z.registry<FieldMeta>();

/** Marks a custom issue whose message is already the whole clause after the key. */
export const OWN_CLAUSE = 'ownClause';
/** Such an issue's message code (message-codes.ts) and its parameters besides `field`. */
export const OWN_CODE = 'messageCode';
export const OWN_PARAMS = 'messageParams';

function leaf<T extends z.ZodType>(schema: T, meta: FieldMeta, description: string): T {
  const described = schema.describe(description);
  fieldMeta.add(described, meta);
  return described;
}

export interface TextOptions {
  /** The default value; empty unless given. */
  readonly default?: string;
  /** A format check; the expectation says in words what it accepts. */
  readonly check?: (value: string) => boolean;
  readonly expectation?: string;
  /** The expectation's code; 'text' unless given. */
  readonly expects?: ExpectationCode;
  /**
   * A URL setting: a user name or password in it is refused by its own clause, which says
   * where each belongs and never repeats the value (hasUrlCredentials).
   */
  readonly credentials?: UrlCredentialsHome;
}

/** Where the parts of a URL's user info belong instead: a user setting, a secret. */
export interface UrlCredentialsHome {
  readonly userField: string;
  /** The secret's key in the secret store, e.g. "server.password". */
  readonly secret: string;
  /** How crm-sync gets it besides the environment variable, e.g. "crm-sync init --password-stdin". */
  readonly cliHint?: string;
}

function credentialsClause(home: UrlCredentialsHome): { message: string; params: MessageParams } {
  const variable = `CRM_SYNC_${home.secret.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
  // Commands and names only, so that every language can show them as they are.
  const cliWays = [home.cliHint, variable].filter((w) => w !== undefined).join(', ');
  return {
    message: `must not contain a user name or password: put the user name in ${home.userField} and the password in the secret store (the app's password field; for crm-sync: ${cliWays})`,
    params: { userField: home.userField, cliWays },
  };
}

function checkedText(options: TextOptions): z.ZodType<string> {
  const { check, credentials } = options;
  if (credentials === undefined) return check === undefined ? z.string() : z.string().refine(check);
  const clause = credentialsClause(credentials);
  return z.string().superRefine((value, ctx) => {
    if (hasUrlCredentials(value)) {
      ctx.addIssue({
        code: 'custom',
        message: clause.message,
        params: {
          [OWN_CLAUSE]: true,
          [OWN_CODE]: 'setting-url-credentials',
          [OWN_PARAMS]: clause.params,
        },
      });
    } else if (check !== undefined && !check(value)) {
      ctx.addIssue({ code: 'custom', message: 'Invalid input' });
    }
  });
}

export function text(description: string, options: TextOptions = {}) {
  const base = checkedText(options);
  return leaf(
    base.default(options.default ?? ''),
    {
      kind: 'text',
      expectation: options.expectation ?? 'any text',
      expects: options.expects ?? 'text',
    },
    description,
  );
}

export function integer(min: number, max: number, defaultValue: number, description: string) {
  return leaf(
    z.number().int().min(min).max(max).default(defaultValue),
    {
      kind: 'integer',
      expectation: `a whole number from ${min} to ${max}`,
      expects: 'whole-number',
      expectsParams: { min, max },
    },
    description,
  );
}

export function decimal(min: number, max: number, defaultValue: number, description: string) {
  return leaf(
    z.number().min(min).max(max).default(defaultValue),
    {
      kind: 'number',
      expectation: `a number from ${min} to ${max}`,
      expects: 'number',
      expectsParams: { min, max },
    },
    description,
  );
}

export function boolean(defaultValue: boolean, description: string) {
  return leaf(
    z.boolean().default(defaultValue),
    { kind: 'boolean', expectation: 'true or false', expects: 'boolean' },
    description,
  );
}

export function quoteList(values: readonly string[]): string {
  const quoted = values.map((v) => `"${v}"`);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1) ?? ''}`;
}

export function choice<const T extends readonly [string, ...string[]]>(
  values: T,
  defaultValue: T[number],
  description: string,
) {
  return leaf(
    z.enum(values).default(defaultValue),
    {
      kind: 'choice',
      expectation: `one of ${quoteList(values)}`,
      expects: 'choice',
      expectsParams: {
        choices: values
          .slice(0, -1)
          .map((v) => `"${v}"`)
          .join(', '),
        last: `"${values.at(-1) ?? ''}"`,
      },
      choices: values,
    },
    description,
  );
}

export function textList(defaultValue: readonly string[], description: string) {
  return leaf(
    z.array(z.string().trim().min(1)).default(() => [...defaultValue]),
    {
      kind: 'textList',
      expectation: 'a list of non-empty names, e.g. ["A", "B"]',
      expects: 'names',
    },
    description,
  );
}

/** An attachment file extension as stored: lowercase letters and digits, no dot. */
export { EXTENSION_PATTERN } from '../settings-formats.ts';
import { EXTENSION_PATTERN, hasUrlCredentials } from '../settings-formats.ts';

export function extensionList(defaultValue: readonly string[], description: string) {
  return leaf(
    z.array(z.string().regex(EXTENSION_PATTERN)).default(() => [...defaultValue]),
    {
      kind: 'extensionList',
      expectation:
        'a list of file extensions of lowercase letters and digits without dots, e.g. ["pdf", "docx"]',
      expects: 'extensions',
    },
    description,
  );
}

/** Finds the first name that occurs twice, ignoring case and surrounding spaces. */
export function firstDuplicate(names: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const name of names) {
    const norm = name.trim().toLowerCase();
    if (seen.has(norm)) return name;
    seen.add(norm);
  }
  return undefined;
}

const categoryPair = z.strictObject({
  crm: z.string().trim().min(1),
  server: z.string().trim().min(1),
});

export function categoryPairs(description: string) {
  return leaf(
    z
      .array(categoryPair)
      .superRefine((pairs, ctx) => {
        // A category paired twice would make the mapping ambiguous in one direction.
        const crm = firstDuplicate(pairs.map((p) => p.crm));
        const server = firstDuplicate(pairs.map((p) => p.server));
        for (const [side, name, code] of [
          ['CRM', crm, 'setting-pair-duplicate-crm'],
          ['server', server, 'setting-pair-duplicate-server'],
        ] as const) {
          if (name === undefined) continue;
          ctx.addIssue({
            code: 'custom',
            message: `pairs the ${side} category "${name}" more than once (each category may appear in one pair only)`,
            params: { [OWN_CLAUSE]: true, [OWN_CODE]: code, [OWN_PARAMS]: { category: name } },
          });
        }
      })
      .default(() => []),
    {
      kind: 'categoryPairs',
      expectation:
        'a list of pairs like [{"crm": "HOTLINE", "server": "Hotline"}] with non-empty names',
      expects: 'category-pairs',
    },
    description,
  );
}

export function version(current: number, description: string) {
  return leaf(
    z.literal(current).default(current),
    {
      kind: 'version',
      expectation: `${current} (written by crm-sync)`,
      expects: 'version',
      expectsParams: { version: current },
    },
    description,
  );
}

/** A group of settings: a strict object whose missing fields take their defaults. */
export function group<S extends z.ZodRawShape>(description: string, shape: S) {
  return (
    z
      .strictObject(shape)
      // Every field has a default, so {} is valid input; the generic shape hides that from TS.
      .prefault({} as never)
      .describe(description)
  );
}
