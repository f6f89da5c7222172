import { z } from 'zod';
import { DoorSettingsSchema, defaultDoorSettings } from '../doors/registry.ts';
import { MAX_LINES } from './line-table.ts';
import { wholeNumber } from './settings-fields.ts';

/**
 * User settings, saved as JSON in the profile folder. The schema is the only gate: the UI
 * shows its messages next to the fields, the store refuses to write anything it rejects.
 * Files written by older versions are brought up to `SETTINGS_VERSION` by the migrations
 * in `electron/core/store/settings-migrations.ts` before they meet this schema.
 * Secrets (passwords) are never here: they live in the core's SecretStore.
 */

export const SETTINGS_VERSION = 2;

/**
 * The extension type, holding that type's own fields. Only types that work end to end
 * are listed; SIP, TEL, TAPI and the desk phone join this union when their backends land.
 */
export const ExtensionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('pbx-events') }).strict(),
]);
export type Extension = z.infer<typeof ExtensionSchema>;
export type ExtensionType = Extension['type'];
export const EXTENSION_TYPES: readonly ExtensionType[] = ExtensionSchema.options.map(
  (option) => option.shape.type.value,
);

export const EXTENSION_TYPE_LABELS: Readonly<Record<ExtensionType, string>> = {
  'pbx-events': 'PBX-pushed events (HTTP listen port)',
};

export const SettingsSchema = z
  .object({
    // Optional on input so the page need not echo it; always written.
    version: z.literal(SETTINGS_VERSION).default(SETTINGS_VERSION),
    extension: ExtensionSchema,
    lines: wholeNumber(1, MAX_LINES, 'must be at least 1', `must be at most ${MAX_LINES}`),
    doors: DoorSettingsSchema.default(defaultDoorSettings),
  })
  .strict();

export type Settings = z.infer<typeof SettingsSchema>;

export const defaultSettings = (): Settings => ({
  version: SETTINGS_VERSION,
  extension: { type: 'pbx-events' },
  lines: 4,
  doors: defaultDoorSettings(),
});

/** One message per field, keyed by the field's path ("lines", "doors.listen-port.allowFrom.1"). */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

export function settingsFieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    field: issue.path.map(String).join('.') || '(settings)',
    message: issue.message,
  }));
}
