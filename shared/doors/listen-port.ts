import { z } from 'zod';
import { HostNameSchema, IpAddressSchema, PortSchema } from '../model/settings-fields.ts';

/**
 * The listen port's settings section (Season Office "HTTP Message Alerting"): where a PBX
 * or CRM posts `/telephony` requests, and which other computers may.
 */
export const ListenPortSettingsSchema = z
  .object({
    port: PortSchema,
    /** PBX addresses allowed to post to the listen port besides this computer. */
    allowFrom: z.array(IpAddressSchema).max(32).readonly(),
    /** Names the PBX uses for this computer in its URLs (checked against the Host header). */
    hostNames: z.array(HostNameSchema).max(32).readonly(),
  })
  .strict();

export type ListenPortSettings = z.infer<typeof ListenPortSettingsSchema>;

export const LISTEN_PORT_DEFAULTS: ListenPortSettings = Object.freeze({
  port: 5555,
  allowFrom: Object.freeze([]),
  hostNames: Object.freeze([]),
});
