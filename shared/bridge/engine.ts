import { z } from 'zod';
import { CallEventSchema } from '../model/call-event.ts';
import { CommandSchema } from '../model/command.ts';

/**
 * The SIP engine runs in a page (WebRTC exists only there) but is a backend of the core
 * like any other. These are the two directions between the core's SIP backend and the one
 * page the core has chosen to host the engine:
 *
 * - core -> page: an `EngineRequest` in the page-targeted `engine` event, answered by the
 *   page with `engineReply` (same id) within a timeout;
 * - page -> core: `engineReport`s (registration state, call events, the digest realm),
 *   schema-checked like every bridge request.
 *
 * The SIP password never crosses: the core sends the digest HA1 for the realm the
 * registrar named (MD5 of user:realm:password), which is all JsSIP needs.
 */

/** What the engine needs to register and call. Built by the core from Settings and secrets. */
export const EngineAccountSchema = z
  .object({
    /** ws:// or wss:// URL of the PBX's WebSocket. */
    server: z.url().max(512),
    /** sip:user@domain */
    uri: z.string().min(5).max(512),
    authorizationUser: z.string().min(1).max(128),
    displayName: z.string().max(128),
    /** Digest realm the HA1 is for; null until the registrar has named it. */
    realm: z.string().max(256).nullable(),
    /** MD5(user:realm:password) as 32 hex digits; null when no password is set or no realm known. */
    ha1: z
      .string()
      .regex(/^[0-9a-f]{32}$/)
      .nullable(),
    register: z.boolean(),
    /** Registration expiry in seconds. */
    expires: z.number().int().min(60).max(86_400),
    /** Route header value for an outbound proxy (sip:proxy;lr), if any. */
    outboundProxy: z.string().max(512).nullable(),
    dtmf: z.enum(['rfc4733', 'info']),
  })
  .strict();
export type EngineAccount = z.infer<typeof EngineAccountSchema>;

export const EngineRequestSchema = z.discriminatedUnion('kind', [
  /** (Re)configure the user agent and register. Replaces any earlier account. */
  z.object({ kind: z.literal('start'), account: EngineAccountSchema }),
  /** Unregister and stop: another page hosts the engine now, or the extension type changed. */
  z.object({ kind: z.literal('stop') }),
  /** A Command for the engine's calls; the line table is the core's, for choosing calls. */
  z.object({ kind: z.literal('command'), command: CommandSchema }),
]);
export type EngineRequest = z.infer<typeof EngineRequestSchema>;

/** The page-targeted event that carries a request; the page answers with `engineReply`. */
export interface EngineCall {
  readonly id: number;
  readonly request: EngineRequest;
}

export const RegistrationStateSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('unregistered'), reason: z.string().max(256).nullable() }),
  z.object({ state: z.literal('registering') }),
  z.object({ state: z.literal('registered'), aor: z.string().max(512) }),
  /** `reason` is a person's words: "403 wrong user name or password", "server unreachable". */
  z.object({ state: z.literal('failed'), reason: z.string().max(256) }),
]);
export type RegistrationState = z.infer<typeof RegistrationStateSchema>;

export const EngineReportSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('registration'), registration: RegistrationStateSchema }),
  /** What happened to a call; `ref` is the SIP Call-ID so that late events cannot misfire. */
  z.object({ kind: z.literal('call'), event: CallEventSchema }),
  /** The registrar challenged with this realm; the core answers with a `start` carrying its HA1. */
  z.object({ kind: z.literal('realm'), realm: z.string().min(1).max(256) }),
  /** A summary for the integration log of what was sent or received ("INVITE from 1001"). */
  z.object({
    kind: z.literal('log'),
    direction: z.enum(['in', 'out']),
    summary: z.string().max(512),
    error: z.string().max(512).nullable(),
  }),
]);
export type EngineReport = z.infer<typeof EngineReportSchema>;

export const EngineReplySchema = z.object({
  id: z.number().int().nonnegative(),
  result: z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value: z.null() }),
    z.object({
      ok: z.literal(false),
      /**
       * `code` is a CommandError code where one fits ('not-capable', 'backend-unavailable',
       * 'refused-by-far-end' with the SIP `status`, 'timed-out'); the core reads any other
       * code as the engine having failed (backend-unavailable, the code kept in the message).
       */
      error: z.object({
        code: z.string().max(64),
        message: z.string().max(512),
        status: z.number().int().min(100).max(699).optional(),
      }),
    }),
  ]),
});
export type EngineReply = z.infer<typeof EngineReplySchema>;

/** How the core tells a page whether it hosts the engine (`engineRole` event). */
export interface EngineRole {
  readonly hosting: boolean;
}
