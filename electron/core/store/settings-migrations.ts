import { SETTINGS_VERSION } from '../../../shared/model/settings.ts';
import { err, ok, type Result } from '../../../shared/result.ts';

/**
 * Brings a parsed `settings.json` from whatever version wrote it up to `SETTINGS_VERSION`,
 * one pure step per version, before `SettingsSchema` sees it. A step only moves fields;
 * judging them stays the schema's job, so a file that was invalid in its own version is
 * still invalid afterwards and a valid one keeps its meaning.
 *
 * To change the settings' shape: raise `SETTINGS_VERSION` in shared/model/settings.ts and
 * append one step here that turns the previous version into the new one.
 */

// The messages name the file the user would look at (the store's SETTINGS_FILE); this
// module cannot import it from the store, which imports this one.
const FILE = 'settings.json';

/** One step: a file of version `index + 1` to version `index + 2`. */
export interface MigrationStep {
  /**
   * Pure and total on any JSON value. It refuses only a file whose meaning it cannot keep
   * (a key of the newer shape in an older file would otherwise pass unnoticed).
   */
  readonly up: (settings: unknown) => Result<unknown, string>;
  /**
   * Where the step moved fields, as [newer path, older path], most specific first, so a
   * message about a migrated file names the field the user actually wrote.
   */
  readonly moved: readonly (readonly [newer: string, older: string])[];
}

type JsonObject = Readonly<Record<string, unknown>>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Version 1 (no `version` field) had flat listen-port fields and a bare extension type;
 * version 2 groups them into the extension and the door sections.
 */
const v1ToV2: MigrationStep = {
  up(settings) {
    // Not an object: nothing to move; the schema will say what is wrong with it.
    if (!isObject(settings)) return ok(settings);
    for (const key of ['extension', 'doors']) {
      if (Object.hasOwn(settings, key)) {
        return err(
          `${FILE} has no "version", so it is read as version 1, which has no field "${key}"`,
        );
      }
    }
    const {
      version: _version,
      extensionType,
      lines,
      listenPort,
      listenAllowFrom,
      listenHostNames,
      ...unknownKeys
    } = settings;
    return ok({
      // Kept so that the strict schema still refuses them by name.
      ...unknownKeys,
      version: 2,
      extension: { type: extensionType },
      lines,
      doors: {
        'listen-port': { port: listenPort, allowFrom: listenAllowFrom, hostNames: listenHostNames },
      },
    });
  },
  moved: [
    ['extension.type', 'extensionType'],
    ['extension', 'extensionType'],
    ['doors.listen-port.port', 'listenPort'],
    ['doors.listen-port.allowFrom', 'listenAllowFrom'],
    ['doors.listen-port.hostNames', 'listenHostNames'],
  ],
};

/** `MIGRATIONS[n - 1]` turns version n into version n + 1. Append only. */
export const MIGRATIONS: readonly MigrationStep[] = [v1ToV2];

/** The version a parsed settings file declares: absent means 1, which had no such field. */
export function settingsVersion(json: unknown): Result<number, string> {
  if (!isObject(json) || !Object.hasOwn(json, 'version')) return ok(1);
  const version = json['version'];
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return err(
      `${FILE} has version ${describeValue(version)}, which is not a whole number of 1 or more`,
    );
  }
  if (version > SETTINGS_VERSION) {
    return err(
      `${FILE} was written by a newer Callbridge (version ${version}; this one reads up to version ${SETTINGS_VERSION})`,
    );
  }
  return ok(version);
}

/**
 * The parsed file brought up to `SETTINGS_VERSION` (not yet validated) and the version it
 * was written in, or a sentence naming the file that says why it cannot be brought up.
 * Never throws.
 */
export function migrateSettings(json: unknown): Result<{ value: unknown; from: number }, string> {
  const from = settingsVersion(json);
  if (!from.ok) return from;
  let value = json;
  for (let version = from.value; version < SETTINGS_VERSION; version++) {
    const step = MIGRATIONS[version - 1];
    if (step === undefined) {
      return err(`${FILE} is version ${version}, which this Callbridge cannot bring up to date`);
    }
    const next = step.up(value);
    if (!next.ok) return next;
    value = next.value;
  }
  return ok({ value, from: from.value });
}

/**
 * A field path of the current schema ("doors.listen-port.allowFrom.1") as it was called in
 * a file of version `from` ("listenAllowFrom.1"), for messages about that file.
 */
export function fieldAsWritten(field: string, from: number): string {
  let name = field;
  for (let version = SETTINGS_VERSION - 1; version >= Math.max(from, 1); version--) {
    const step = MIGRATIONS[version - 1];
    const move = step?.moved.find(([newer]) => name === newer || name.startsWith(`${newer}.`));
    if (move !== undefined) name = move[1] + name.slice(move[0].length);
  }
  return name;
}

/** A short description of an unexpected JSON value, never the whole of a large one. */
function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 40));
  if (Array.isArray(value)) return 'a list';
  if (value === null || typeof value !== 'object') return String(value);
  return 'an object';
}
