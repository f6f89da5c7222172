import { z } from 'zod';
import { CallTagSchema, LineNumberSchema, shownText } from './command.ts';

/**
 * What a backend (or the PBX through a door) reports about calls. The switchboard folds
 * these into the line table with the pure transitions in `line-table.ts`.
 */

/** A number or name as it will be shown (see shownText). */
const Party = shownText(128);

/**
 * The backend's own name for the call (a SIP Call-ID, a TAPI call handle). Optional: the
 * listen port's PBX has none. When a line's call has one, an event carrying another is
 * about a call that has already left the line and must not touch the next one.
 */
const Ref = z.string().min(1).max(256).optional();

export const CallEventSchema = z.discriminatedUnion('kind', [
  /** An inbound call is alerting on the line. */
  z.object({
    kind: z.literal('Incoming'),
    line: LineNumberSchema,
    ref: Ref,
    number: Party,
    callerId: Party.optional(),
  }),
  /** We placed an outbound call and the far end has not answered yet. */
  z.object({
    kind: z.literal('Dialing'),
    line: LineNumberSchema,
    ref: Ref,
    number: Party,
    callerId: Party.optional(),
    /** The tag of the MakeCall that placed it (the switchboard adds it; see command.ts). */
    tag: CallTagSchema.optional(),
  }),
  /** The call on the line is connected (answered here, at a desk phone, or by the PBX). */
  z.object({
    kind: z.literal('Established'),
    line: LineNumberSchema,
    ref: Ref,
    number: Party.optional(),
    callerId: Party.optional(),
  }),
  z.object({ kind: z.literal('Held'), line: LineNumberSchema, ref: Ref }),
  z.object({ kind: z.literal('Resumed'), line: LineNumberSchema, ref: Ref }),
  z.object({ kind: z.literal('LineSelected'), line: LineNumberSchema }),
  /** Our microphone is (or is no longer) sent into the connected call on the line. */
  z.object({ kind: z.literal('Muted'), line: LineNumberSchema, ref: Ref, muted: z.boolean() }),
  /**
   * The far end of the call we are dialling is ringing (180), or plays its own sound
   * before answering (183 with media: a ring-back tone, an announcement).
   */
  z.object({
    kind: z.literal('Ringback'),
    line: LineNumberSchema,
    ref: Ref,
    earlyMedia: z.boolean(),
  }),
  /** The alerting call on the line no longer rings here; it still waits for an answer. */
  z.object({ kind: z.literal('Silenced'), line: LineNumberSchema, ref: Ref }),
  z.object({
    kind: z.literal('Terminated'),
    line: LineNumberSchema,
    ref: Ref,
    reason: z.enum(['hangup', 'transferred', 'diverted', 'rejected', 'failed']).optional(),
    /** How it ended in a person's words, for the history ("486 Busy Here", "not answered in time"). */
    detail: Party.optional(),
  }),
]);

export type CallEvent = z.infer<typeof CallEventSchema>;
export type CallEventKind = CallEvent['kind'];
