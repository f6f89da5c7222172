import { z } from 'zod';

/**
 * The links door's settings section: click-to-dial links (tel:, callto:, sip:, voispeed:)
 * and the local API that `callbridge open` hands them to. Links that end or forward a call
 * or change the SIP account always ask first; dialling asks only when this says so.
 */
export const LinksSettingsSchema = z
  .object({
    /** Off: a link dials at once, as MicroSIP does. On: a question naming the number first. */
    askBeforeDialing: z.boolean(),
  })
  .strict();

export type LinksSettings = z.infer<typeof LinksSettingsSchema>;

export const LINKS_DEFAULTS: LinksSettings = Object.freeze({ askBeforeDialing: false });
