import { z } from 'zod';
import { describeCharacter, findControl, findInvisible } from '../protocols/text.ts';

/**
 * The one vocabulary every door speaks after translation, and every backend executes.
 * Schemas are the source of truth so that the bridge validates exactly what the type says.
 */

/** Lines are numbered from 1, as every vendor document numbers them. */
export const LineNumberSchema = z.number().int().min(1).max(64);
export type LineNumber = z.infer<typeof LineNumberSchema>;

/** A dialable string as a user or CRM wrote it; normalisation happens in the backend. */
const DialString = z.string().trim().min(1).max(64);

/**
 * Text shown to people as it came (a number, a name, a tag). Controls and invisible
 * characters (Unicode Cf and the other default-ignorables) are refused whoever sent it:
 * with them a number can look identical to a trusted one and differ.
 */
export const shownText = (max: number) =>
  z
    .string()
    .max(max)
    .check((ctx) => {
      const found = findControl(ctx.value) ?? findInvisible(ctx.value);
      if (found !== null) {
        ctx.issues.push({
          code: 'custom',
          input: ctx.value,
          message: `holds ${describeCharacter(found.codePoint)} at index ${found.index}`,
        });
      }
    });

/**
 * Free text a caller attaches to the call it asks for (VOIspeed's ext_ID): it stays on the
 * call, goes into the history and reaches Integra's values. Refused here, before the call
 * is placed, rather than in the Dialing event that will carry it.
 */
export const CALL_TAG_LIMIT = 64;
export const CallTagSchema = shownText(CALL_TAG_LIMIT).min(1);

export const ForwardModeSchema = z.enum(['off', 'always', 'busy', 'noAnswer']);

export const CommandSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('MakeCall'),
    number: DialString,
    line: LineNumberSchema.optional(),
    /** Goes with the call this places (see CallTagSchema); the switchboard puts it there. */
    tag: CallTagSchema.optional(),
  }),
  z.object({ kind: z.literal('Answer'), line: LineNumberSchema.optional() }),
  z.object({ kind: z.literal('Drop'), line: LineNumberSchema.optional() }),
  z.object({ kind: z.literal('Hold'), line: LineNumberSchema.optional() }),
  z.object({ kind: z.literal('Retrieve'), line: LineNumberSchema.optional() }),
  /** Swap the held and the active call (TAPIMaster "Toggle"). */
  z.object({ kind: z.literal('Alternate') }),
  /** Blind transfer when `target` is given, otherwise attended transfer between the two lines. */
  z.object({
    kind: z.literal('Transfer'),
    line: LineNumberSchema.optional(),
    target: DialString.optional(),
  }),
  z.object({ kind: z.literal('Conference') }),
  /** Send a ringing call elsewhere before it is answered (TAPIMaster "Redirect"). */
  z.object({ kind: z.literal('Divert'), line: LineNumberSchema.optional(), target: DialString }),
  z.object({ kind: z.literal('Pickup'), extension: DialString }),
  z.object({ kind: z.literal('Forward'), mode: ForwardModeSchema, target: DialString.optional() }),
  z.object({ kind: z.literal('DoNotDisturb'), enabled: z.boolean() }),
  z.object({ kind: z.literal('SelectLine'), line: LineNumberSchema }),
  /** Stop sending our microphone into a connected call (or start again); the far end stays. */
  z.object({ kind: z.literal('Mute'), line: LineNumberSchema.optional(), muted: z.boolean() }),
  /** Stop the ring tone of an alerting call without answering or refusing it. */
  z.object({ kind: z.literal('Silence'), line: LineNumberSchema.optional() }),
  z.object({
    kind: z.literal('SendDtmf'),
    line: LineNumberSchema.optional(),
    digits: z.string().regex(/^[0-9*#A-D]{1,32}$/),
  }),
]);

export type Command = z.infer<typeof CommandSchema>;
export type CommandKind = Command['kind'];

export const COMMAND_KINDS: readonly CommandKind[] = CommandSchema.options.map(
  (option) => option.shape.kind.value,
);
