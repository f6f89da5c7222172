import { z } from 'zod';
import { DoorSettingsSchema, defaultDoorSettings } from '../doors/registry.ts';
import { MAX_LINES } from './line-table.ts';
import { isCountry } from '../protocols/phone-number.ts';
import { parseSipServer } from '../protocols/sip-server.ts';
import { findControl, findInvisible } from '../protocols/text.ts';
import { HostNameSchema, wholeNumber } from './settings-fields.ts';

/**
 * User settings, saved as JSON in the profile folder. The schema is the only gate: the UI
 * shows its messages next to the fields, the store refuses to write anything it rejects.
 * Files written by older versions are brought up to `SETTINGS_VERSION` by the migrations
 * in `electron/core/store/settings-migrations.ts` before they meet this schema.
 * Secrets (passwords) are never here: they live in the core's SecretStore.
 */

export const SETTINGS_VERSION = 2;

/** Text a person types into an account field: no controls, no invisible characters. */
const plainText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: `must be at most ${max} characters` })
    .refine((text) => (findControl(text) ?? findInvisible(text)) === null, {
      message: 'must not hold control or invisible characters',
    });

/** A SIP user part: what goes before the @ of an address of record. */
const SipUser = plainText(64).refine((text) => /^[^\s@:;<>"]*$/.test(text), {
  message: 'must not hold spaces or any of @ : ; < > "',
});

/**
 * The SIP softphone's account ("Datos/AbTo SIP Phone" in Season Office's document). The
 * password is not here: it is kept in the SecretStore as `SIP_PASSWORD_SECRET`.
 */
export const SipExtensionSchema = z
  .object({
    type: z.literal('sip'),
    /** Saved as the WebSocket URL it was turned into (shared/protocols/sip-server.ts). */
    server: z.string().transform((text, ctx) => {
      const parsed = parseSipServer(text);
      if (parsed.ok) return parsed.value.url;
      ctx.issues.push({ code: 'custom', input: text, message: parsed.error.message });
      return z.NEVER;
    }),
    username: SipUser.refine((text) => text !== '', { message: 'is needed' }),
    displayName: plainText(64),
    /** Empty: the user name. */
    authUser: SipUser,
    /** Empty: the server's host. */
    domain: z.union([z.literal(''), HostNameSchema]),
    /** A SIP URI (sip:proxy.example.com;lr) or empty for none. */
    outboundProxy: plainText(256).refine((text) => text === '' || /^sips?:[^\s]+$/i.test(text), {
      message: 'must be a SIP URI such as sip:proxy.example.com;lr, or empty',
    }),
    register: z.boolean(),
    registerExpires: wholeNumber(
      60,
      86_400,
      'must be at least 60 seconds',
      'must be at most 86400 seconds',
    ),
    dtmf: z.enum(['rfc4733', 'info']),
    /**
     * Filled in from a voispeed: autoconfiguration link, whose password is the MD5 hash the
     * VOIspeed PBX expects; Settings says so. Absent for an account typed in.
     */
    setUpFromLink: z.boolean().optional(),
  })
  .strict();
export type SipExtension = z.infer<typeof SipExtensionSchema>;

/** The SecretStore name of the SIP account's password. */
export const SIP_PASSWORD_SECRET = 'sip.password';

/**
 * The extension type, holding that type's own fields. Only types that work end to end
 * are listed; TAPI and the desk phone join this union when their backends land.
 * TEL has no fields: as Season Office's document says of its TEL type, "the other settings
 * are not used"; which softphone dials is the system's choice (its default for tel: links).
 */
export const ExtensionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('pbx-events') }).strict(),
  SipExtensionSchema,
  z.object({ type: z.literal('tel') }).strict(),
]);
export type Extension = z.infer<typeof ExtensionSchema>;
export type ExtensionType = Extension['type'];
export const EXTENSION_TYPES: readonly ExtensionType[] = ExtensionSchema.options.map(
  (option) => option.shape.type.value,
);

/**
 * Each extension type's write-only fields: typed in Settings with the rest, but kept in the
 * core's SecretStore under `secret`, never in settings.json, a snapshot or the page. The
 * page only learns which are set (`SettingsView.secretsSet`).
 */
export interface SecretField {
  /** The key in the extension's part of a save request ("password"). */
  readonly field: string;
  /** Its name in the SecretStore. */
  readonly secret: string;
}

export const EXTENSION_SECRETS: Readonly<Record<ExtensionType, readonly SecretField[]>> = {
  'pbx-events': [],
  sip: [{ field: 'password', secret: SIP_PASSWORD_SECRET }],
  tel: [],
};

export const SECRET_NAMES: readonly string[] = [
  ...new Set(Object.values(EXTENSION_SECRETS).flatMap((fields) => fields.map((f) => f.secret))),
];

export const EXTENSION_TYPE_LABELS: Readonly<Record<ExtensionType, string>> = {
  'pbx-events': 'PBX-pushed events (HTTP listen port)',
  sip: 'SIP softphone',
  tel: "TEL (outgoing calls only, through the system's tel: handler)",
};

/**
 * An audio device as Settings names it. Browsers give each device an id per origin and
 * profile (the browser target's origin changes with its port), so the label is kept too
 * and finds the device again under a new id. null: the system's default device.
 */
const AudioDeviceSchema = z
  .object({ deviceId: z.string().max(512), label: plainText(256) })
  .strict()
  .nullable();
export type AudioDevice = z.infer<typeof AudioDeviceSchema>;

/** Which devices the softphone uses: applied to the next call and the next ring. */
export const AudioSettingsSchema = z
  .object({ microphone: AudioDeviceSchema, speaker: AudioDeviceSchema, ringer: AudioDeviceSchema })
  .strict();
export type AudioSettings = z.infer<typeof AudioSettingsSchema>;
export const SYSTEM_AUDIO: AudioSettings = Object.freeze({
  microphone: null,
  speaker: null,
  ringer: null,
});

export const SettingsSchema = z
  .object({
    // Optional on input so the page need not echo it; always written.
    version: z.literal(SETTINGS_VERSION).default(SETTINGS_VERSION),
    extension: ExtensionSchema,
    lines: wholeNumber(1, MAX_LINES, 'must be at least 1', `must be at most ${MAX_LINES}`),
    /**
     * ISO 3166 code of the country national numbers are read in (shared/protocols/
     * phone-number.ts), or '' for none. Defaulted, so version 2 files without it still read.
     */
    defaultCountry: z
      .string()
      .refine((code) => code === '' || isCountry(code), {
        message: 'must be a country code such as GB or DE, or empty for none',
      })
      .default(''),
    audio: AudioSettingsSchema.default(SYSTEM_AUDIO),
    doors: DoorSettingsSchema.default(defaultDoorSettings),
  })
  .strict();

export type Settings = z.infer<typeof SettingsSchema>;

export const defaultSettings = (): Settings => ({
  version: SETTINGS_VERSION,
  extension: { type: 'pbx-events' },
  lines: 4,
  defaultCountry: '',
  audio: SYSTEM_AUDIO,
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
