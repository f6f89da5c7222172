import { z } from 'zod';
import type { LogSource } from './integration-log.ts';

/**
 * A question the core puts to the person at the Comms Manager before it does something a
 * stranger could ask for (a link from any web page ending a call, or filling in the SIP
 * account). Every connected page shows every pending question; the first answer counts.
 * "No", and no answer before `expiresAt`, change nothing.
 */
export interface Prompt {
  /** Unique within one core run; the answer names it. */
  readonly id: string;
  /** Who asks: a door. */
  readonly source: LogSource;
  /** The question, naming what it is about: "Call 187?", "End the call with 0612 on line 2?" */
  readonly question: string;
  /** What Yes does, and where the request came from. */
  readonly detail: string;
  /** Epoch milliseconds. */
  readonly askedAt: number;
  /** When it is taken as No, in epoch milliseconds. */
  readonly expiresAt: number;
}

export const PROMPT_ID_LIMIT = 64;

/** The page's answer to one question. */
export const PromptAnswerSchema = z
  .object({
    id: z.string().min(1).max(PROMPT_ID_LIMIT),
    answer: z.enum(['yes', 'no']),
  })
  .strict();
export type PromptAnswer = z.infer<typeof PromptAnswerSchema>;

/** What answering did, in a person's words: what Yes did, or that No changed nothing. */
export interface PromptReply {
  readonly outcome: string;
}
