import { z } from 'zod';
import { MAX_LINES } from './line-table.ts';

/**
 * User settings, saved as JSON in the profile folder. The schema is the only gate: the UI
 * shows its messages next to the fields, the store refuses to write anything it rejects.
 */

/**
 * Extension types offered in Settings. Only types that work end to end are listed; SIP,
 * TEL, TAPI and the desk phone join this enum when their backends land.
 */
export const ExtensionTypeSchema = z.enum(['pbx-events']);
export type ExtensionType = z.infer<typeof ExtensionTypeSchema>;

export const EXTENSION_TYPE_LABELS: Readonly<Record<ExtensionType, string>> = {
  'pbx-events': 'PBX-pushed events (HTTP listen port)',
};

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
// Deliberately simple: full IPv6 validation belongs to node:net, which shared/ cannot use.
const IPV6 = /^[0-9a-f:]+(%[a-z0-9]+)?$/i;
const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

export const IpAddressSchema = z
  .string()
  .trim()
  .refine((value) => IPV4.test(value) || (value.includes(':') && IPV6.test(value)), {
    message: 'must be an IP address such as 192.168.1.20',
  });

export const HostNameSchema = z
  .string()
  .trim()
  .refine((value) => HOST_NAME.test(value) || IPV4.test(value), {
    message: 'must be a host name or IPv4 address',
  });

export const SettingsSchema = z
  .object({
    extensionType: ExtensionTypeSchema,
    lines: z
      .number({ error: 'must be a whole number' })
      .int({ error: 'must be a whole number' })
      .min(1, { error: 'must be at least 1' })
      .max(MAX_LINES, { error: `must be at most ${MAX_LINES}` }),
    listenPort: z
      .number({ error: 'must be a whole number' })
      .int({ error: 'must be a whole number' })
      .min(1024, { error: 'must be 1024 or above (lower ports need administrator rights)' })
      .max(65535, { error: 'must be 65535 or below' }),
    /** PBX addresses allowed to post to the listen port besides this computer. */
    listenAllowFrom: z.array(IpAddressSchema).max(32),
    /** Names the PBX uses for this computer in its URLs (checked against the Host header). */
    listenHostNames: z.array(HostNameSchema).max(32),
  })
  .strict();

export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  extensionType: 'pbx-events',
  lines: 4,
  listenPort: 5555,
  listenAllowFrom: [],
  listenHostNames: [],
};

/** One message per field, keyed by the field's path ("lines", "listenAllowFrom.1"). */
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
