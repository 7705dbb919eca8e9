import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, ExitCode } from '../../src/core/errors.ts';
import { loadSettings, parseSettings, saveSettings } from '../../src/core/settings/file.ts';
import { defaultSettings } from '../../src/shared/settings/schema.ts';
import type { Settings } from '../../src/shared/settings/schema.ts';
import { configErrorOf, useTempDir } from './helpers.ts';

const tempDir = useTempDir();

function fileWith(text: string): string {
  const file = join(tempDir(), 'demo.json');
  writeFileSync(file, text);
  return file;
}

describe('loadSettings', () => {
  it('says how to create a missing file', () => {
    const file = join(tempDir(), 'missing.json');
    const message = configErrorOf(() => loadSettings(file));
    expect(message).toBe(
      `Settings file ${file} does not exist; create it with \`crm-sync init --config ${file}\`.`,
    );
  });

  it('throws a ConfigError with the config exit code', () => {
    const file = join(tempDir(), 'missing.json');
    try {
      loadSettings(file);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).exitCode).toBe(ExitCode.config);
    }
  });

  it('refuses a folder', () => {
    const dir = tempDir();
    expect(configErrorOf(() => loadSettings(dir))).toBe(
      `Settings file ${dir} is a folder, not a file.`,
    );
  });

  it.skipIf(process.platform === 'win32' || process.getuid?.() === 0)(
    'reports an unreadable file',
    () => {
      const file = fileWith('{}');
      chmodSync(file, 0o000);
      expect(configErrorOf(() => loadSettings(file))).toBe(
        `Settings file ${file} cannot be read: permission denied.`,
      );
    },
  );

  it('gives the line and column of a JSON error', () => {
    const file = fileWith('{\n  "schedule": {\n    "intervalMinutes": 15,\n  }\n}\n');
    expect(configErrorOf(() => loadSettings(file))).toBe(
      `Settings file ${file} is not valid JSON: a comma is followed by "}" (remove the trailing comma) at line 4, column 3.`,
    );
  });

  it('reports a property name without quotes', () => {
    const file = fileWith('{\n  schedule: {}\n}');
    expect(configErrorOf(() => loadSettings(file))).toBe(
      `Settings file ${file} is not valid JSON: expected a property name in double quotes but found "s" at line 2, column 3.`,
    );
  });

  it('reports an empty file as such', () => {
    const file = fileWith('  \n');
    expect(configErrorOf(() => loadSettings(file))).toMatch(
      new RegExp(`^Settings file ${file} is empty; `),
    );
  });

  it('refuses JSON that is not an object', () => {
    const file = fileWith('[1, 2]');
    expect(configErrorOf(() => loadSettings(file))).toBe(
      `Settings file ${file} must hold a JSON object of settings (got a list).`,
    );
  });

  it('names the bad field, what it must be and what it got, in one sentence', () => {
    const file = fileWith('{"agendas": {"events": {"daysPast": "abc"}}}');
    expect(configErrorOf(() => loadSettings(file))).toBe(
      `Settings file ${file}: agendas.events.daysPast must be a whole number from 0 to 3650 (got "abc").`,
    );
  });

  it('names up to three bad fields and counts the rest', () => {
    const file = fileWith(
      JSON.stringify({
        schedule: { intervalMinutes: 0, startAtLogin: 'maybe' },
        conflictPolicy: 'mine',
        agendas: { events: { direction: 'both' }, mail: { maxAgeDays: -1 } },
      }),
    );
    const message = configErrorOf(() => loadSettings(file));
    expect(message).toMatch(new RegExp(`^Settings file ${file}: `));
    expect(message).toContain(
      'schedule.intervalMinutes must be a whole number from 1 to 1440 (got 0)',
    );
    expect(message).toContain('schedule.startAtLogin must be true or false (got "maybe")');
    expect(message).toContain(
      'conflictPolicy must be one of "newer-wins", "server-wins" or "crm-wins" (got "mine")',
    );
    expect(message).toMatch(/; and 2 more problems\.$/);
    expect(message.split('. ').length).toBe(1);
  });

  it('refuses a password with a message that points to the secret store', () => {
    const file = fileWith(
      JSON.stringify({ connection: { kind: 'dav', dav: { user: 'p', password: 'hunter2' } } }),
    );
    const message = configErrorOf(() => loadSettings(file));
    expect(message).toBe(
      `Settings file ${file}: connection.dav.password is not allowed: passwords and tokens belong in the secret store, never in the settings file.`,
    );
    expect(message).not.toContain('hunter2');
  });

  it('lists a secret first among several problems', () => {
    const file = fileWith(
      JSON.stringify({
        schedule: { intervalMinutes: 0 },
        agendas: { events: { daysPast: -1, daysFuture: -1, direction: 'x' } },
        token: 'abc',
      }),
    );
    expect(configErrorOf(() => loadSettings(file))).toMatch(
      new RegExp(`^Settings file ${file}: token is not allowed: passwords and tokens`),
    );
  });

  it('suggests the key meant by a typo', () => {
    const file = fileWith(JSON.stringify({ agendas: { events: { dayPast: 3 } } }));
    expect(configErrorOf(() => loadSettings(file))).toBe(
      `Settings file ${file}: agendas.events.dayPast is not a known setting (did you mean "agendas.events.daysPast"?).`,
    );
  });

  it('names the item of a list that is wrong', () => {
    const file = fileWith(
      JSON.stringify({
        agendas: { mail: { attachments: { allowedExtensions: ['pdf', '.doc'] } } },
      }),
    );
    expect(configErrorOf(() => loadSettings(file))).toContain(
      'agendas.mail.attachments.allowedExtensions must be a list of file extensions of lowercase letters and digits without dots, e.g. ["pdf", "docx"] (got ".doc" as item 2)',
    );
  });

  it('names a duplicated category', () => {
    const file = fileWith(
      JSON.stringify({
        agendas: {
          events: {
            categoryPairs: [
              { crm: 'HOTLINE', server: 'Hotline' },
              { crm: 'REGISTRACE', server: 'Hotline' },
            ],
          },
        },
      }),
    );
    expect(configErrorOf(() => loadSettings(file))).toBe(
      `Settings file ${file}: agendas.events.categoryPairs pairs the server category "Hotline" more than once (each category may appear in one pair only).`,
    );
  });

  it('refuses a group given as a plain value', () => {
    const file = fileWith(JSON.stringify({ agendas: 'all' }));
    expect(configErrorOf(() => loadSettings(file))).toBe(
      `Settings file ${file}: agendas must be an object of settings (got "all").`,
    );
  });

  it('refuses a file of a newer version', () => {
    const file = fileWith('{"version": 99}');
    expect(configErrorOf(() => loadSettings(file))).toBe(
      `Settings file ${file} has version 99, newer than this crm-sync understands (1); update crm-sync or use a file it wrote.`,
    );
  });

  it('refuses a version that is not a whole number', () => {
    const file = fileWith('{"version": "1"}');
    expect(configErrorOf(() => loadSettings(file))).toBe(
      `Settings file ${file}: version must be a whole number from 1 to 1 (got "1").`,
    );
  });

  it('fills in defaults for a minimal file (no version needed)', () => {
    const file = fileWith('\uFEFF{"crm": {"user": "pbartos"}}');
    const settings = loadSettings(file);
    expect(settings.crm.user).toBe('pbartos');
    expect(settings.version).toBe(1);
    expect(settings.agendas.events.daysPast).toBe(14);
  });
});

describe('parseSettings', () => {
  it('validates a document from any source', () => {
    expect(parseSettings({}, 'wizard')).toEqual(defaultSettings());
    expect(configErrorOf(() => parseSettings({ guard: { maxDeleteShare: 2 } }, 'wizard'))).toBe(
      'Settings file wizard: guard.maxDeleteShare must be a number from 0 to 1 (got 2).',
    );
  });
});

describe('saveSettings', () => {
  function sample(): Settings {
    const s = defaultSettings();
    s.crm.user = 'pbartos';
    s.crm.databasePath = 'crm.sqlite';
    s.agendas.events.categoryPairs = [{ crm: 'HOTLINE', server: 'Hotline' }];
    return s;
  }

  it('round-trips through loadSettings', () => {
    const file = join(tempDir(), 'settings.json');
    saveSettings(file, sample());
    expect(loadSettings(file)).toEqual(sample());
    expect(readFileSync(file, 'utf8')).toMatch(/^\{\n {2}"version": 1,\n/);
  });

  it.skipIf(process.platform === 'win32')('writes the file owner-only', () => {
    const file = join(tempDir(), 'settings.json');
    writeFileSync(file, '{}', { mode: 0o644 });
    chmodSync(file, 0o644);
    saveSettings(file, sample());
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(`${file}.bak`).mode & 0o777).toBe(0o600);
  });

  it('keeps the previous file as .bak and leaves no temporary file', () => {
    const dir = tempDir();
    const file = join(dir, 'settings.json');
    saveSettings(file, defaultSettings());
    expect(existsSync(`${file}.bak`)).toBe(false);
    const first = readFileSync(file, 'utf8');
    saveSettings(file, sample());
    expect(readFileSync(`${file}.bak`, 'utf8')).toBe(first);
    expect(readdirSync(dir).sort()).toEqual(['settings.json', 'settings.json.bak']);
  });

  it('creates a missing folder', () => {
    const file = join(tempDir(), 'a', 'b', 'settings.json');
    saveSettings(file, sample());
    expect(loadSettings(file).crm.user).toBe('pbartos');
  });

  it('refuses invalid settings and leaves the file alone', () => {
    const file = join(tempDir(), 'settings.json');
    saveSettings(file, sample());
    const before = readFileSync(file, 'utf8');
    const bad = sample();
    bad.schedule.intervalMinutes = 0;
    expect(configErrorOf(() => saveSettings(file, bad))).toBe(
      `Settings not saved to ${file}: schedule.intervalMinutes must be a whole number from 1 to 1440 (got 0).`,
    );
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('refuses to write a secret smuggled into the settings object', () => {
    const file = join(tempDir(), 'settings.json');
    const bad = { ...sample(), connection: { ...sample().connection, password: 'hunter2' } };
    expect(configErrorOf(() => saveSettings(file, bad as Settings))).toContain(
      'connection.password is not allowed: passwords and tokens belong in the secret store',
    );
    expect(existsSync(file)).toBe(false);
  });

  it('reports a file it cannot write', () => {
    const dir = tempDir();
    const file = join(dir, 'settings.json');
    mkdirSync(file);
    mkdirSync(join(file, 'x'));
    expect(configErrorOf(() => saveSettings(file, sample()))).toMatch(
      new RegExp(`^Settings file ${file} cannot be written: `),
    );
    expect(readdirSync(dir)).toEqual(['settings.json']);
  });
});
