import { z } from 'zod';

// zod hands a default out as it is; the sections' defaults are frozen so no caller can
// change them for everyone else.
import { INTEGRA_DEFAULTS, IntegraSettingsSchema } from './integra.ts';
import { LINKS_DEFAULTS, LinksSettingsSchema } from './links.ts';
import { LISTEN_PORT_DEFAULTS, ListenPortSettingsSchema } from './listen-port.ts';

/**
 * Every door's settings section, in one list: the door's id, its schema and its defaults.
 * The core's door registry (`electron/core/doors/registry.ts`) must have a door for each
 * id here and the Settings form a section; the compiler checks both through `DoorId`. A
 * section missing from a settings file takes its defaults, so adding a door needs no
 * settings migration.
 */
export const DoorSettingsSchema = z
  .object({
    'listen-port': ListenPortSettingsSchema.default(LISTEN_PORT_DEFAULTS),
    integra: IntegraSettingsSchema.default(INTEGRA_DEFAULTS),
    links: LinksSettingsSchema.default(LINKS_DEFAULTS),
  })
  .strict();

export type DoorSettings = z.infer<typeof DoorSettingsSchema>;
export type DoorId = keyof DoorSettings;

export const DOOR_IDS = Object.keys(DoorSettingsSchema.shape) as [DoorId, ...DoorId[]];
export const DoorIdSchema = z.enum(DOOR_IDS);

/** What the header, the log filter and the Settings form call each door. */
export const DOOR_LABELS: Readonly<Record<DoorId, string>> = {
  'listen-port': 'Listen port',
  integra: 'Integra',
  links: 'Links',
};

export const defaultDoorSettings = (): DoorSettings => DoorSettingsSchema.parse({});
