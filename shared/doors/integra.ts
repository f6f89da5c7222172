import { z } from 'zod';
import { wholeNumber } from '../model/settings-fields.ts';
import {
  INTEGRA_EVENT_NAMES,
  INTEGRA_MAX_RUNNING,
  INTEGRA_TIME_LIMIT_MS,
  parseTemplate,
  type IntegraEvent,
} from '../protocols/integra.ts';

/**
 * VOIspeed Integra's settings section (`specs/voispeed-integra.txt`): a command or URL run on
 * the call events a user ticks, with `!00`..`!07` replaced by the call's values
 * (shared/protocols/integra.ts has the template; electron/core/doors/integra/ runs it).
 */

/** Numbers with visual separators (`20-1`, `(201)`) still count by their digits alone. */
const SEPARATORS = /[\s\-./()]/g;

/**
 * The vendor's "Only on external calls" skips "calls between extensions" without saying how
 * an extension is told from an outside number; its PBX knows, Callbridge does not. The rule:
 * a call is internal when the other party's number, visual separators aside, is only digits
 * and at most `maxDigits` of them (an extension such as `201`). A `+` number, a longer
 * number, a name (a SIP user such as `alice`), a feature code (`*97`) or no number at all
 * (a withheld caller) is external.
 */
export function isInternalNumber(number: string, maxDigits: number): boolean {
  const digits = number.replace(SEPARATORS, '');
  return /^[0-9]+$/.test(digits) && digits.length <= maxDigits;
}

/** The longest extension the "internal" rule allows: longer than any PBX's dial plan. */
export const INTEGRA_MAX_INTERNAL_DIGITS = 15;
/** The longest time limit: a hook past a few minutes is not a call-event hook. */
export const INTEGRA_MAX_TIME_LIMIT_SECONDS = 300;
/** More than this many at once would only contend for the same cores. */
export const INTEGRA_MAX_CAP = 16;

const IntegraEventSchema = z.enum(INTEGRA_EVENT_NAMES as [IntegraEvent, ...IntegraEvent[]], {
  error: `must be one of ${INTEGRA_EVENT_NAMES.join(', ')}`,
});

export const IntegraSettingsSchema = z
  .object({
    /** "Enable INTEGRA". */
    enabled: z.boolean(),
    /** "Only on external calls", by `isInternalNumber` with `internalDigits`. */
    externalOnly: z.boolean(),
    internalDigits: wholeNumber(
      1,
      INTEGRA_MAX_INTERNAL_DIGITS,
      'must be at least 1',
      `must be at most ${INTEGRA_MAX_INTERNAL_DIGITS}`,
    ),
    /** The events ticked; each runs the command once per call that has it. */
    events: z
      .array(IntegraEventSchema)
      .max(INTEGRA_EVENT_NAMES.length)
      .refine((events) => new Set(events).size === events.length, {
        message: 'must name each event once',
      })
      .readonly(),
    /**
     * "Command to be performed": the template as typed. Checked on its own, so that its
     * error shows together with any other field's; empty is how Integra is left unset.
     */
    command: z.string().check((ctx) => {
      if (ctx.value.trim() === '') return;
      const parsed = parseTemplate(ctx.value);
      if (!parsed.ok) {
        ctx.issues.push({
          code: 'custom',
          input: ctx.value,
          message: `is not valid: ${parsed.error.message}`,
        });
      }
    }),
    timeLimitSeconds: wholeNumber(
      1,
      INTEGRA_MAX_TIME_LIMIT_SECONDS,
      'must be at least 1 second',
      `must be at most ${INTEGRA_MAX_TIME_LIMIT_SECONDS} seconds`,
    ),
    /** How many commands may run at once; the others wait their turn, in order. */
    maxRunning: wholeNumber(
      1,
      INTEGRA_MAX_CAP,
      'must be at least 1',
      `must be at most ${INTEGRA_MAX_CAP}`,
    ),
  })
  .strict()
  .refine((section) => !section.enabled || section.command.trim() !== '', {
    path: ['command'],
    message: 'is needed to enable Integra',
  });

export type IntegraSettings = z.infer<typeof IntegraSettingsSchema>;

/**
 * Off until a user sets it up. The events ticked first are the incoming ones: the common use
 * is a CRM pop-up for the caller, and a browser tab per event of every call would not be
 * welcome. The limits are the runner's own defaults.
 */
export const INTEGRA_DEFAULTS: IntegraSettings = Object.freeze({
  enabled: false,
  externalOnly: false,
  internalDigits: 4,
  events: Object.freeze<IntegraEvent[]>(['CALL_IN', 'CALL_FORWARD_IN']),
  command: '',
  timeLimitSeconds: INTEGRA_TIME_LIMIT_MS / 1000,
  maxRunning: INTEGRA_MAX_RUNNING,
});
