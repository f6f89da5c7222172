import { parseDigestChallenge } from './realm.ts';
import { shownText } from './shown-text.ts';

/**
 * Why registration failed, in a person's words, from what JsSIP reports: a SIP status and
 * reason phrase when the registrar answered, a cause when it did not. Pure, so the wording
 * is tested without a PBX.
 */

/** JsSIP's causes that mean no SIP answer came back (its Constants.causes). */
const CONNECTION_ERROR = 'Connection Error';
const REQUEST_TIMEOUT = 'Request Timeout';

export interface RegistrarAnswer {
  readonly status: number;
  readonly reasonPhrase: string;
  /** WWW-Authenticate (401) or Proxy-Authenticate (407), when the answer carried one. */
  readonly challenge: string | null;
}

export interface RegistrationFailure {
  /** Null when no answer came back (transport error, timeout). */
  readonly answer: RegistrarAnswer | null;
  readonly cause: string;
}

/** What the engine knows of its credentials when a challenge comes back. */
export interface Credentials {
  readonly realm: string | null;
  readonly hasHa1: boolean;
}

export type FailureVerdict =
  /** The registrar named a realm the core has no HA1 for: ask the core, wait for `start`. */
  | { readonly kind: 'realm'; readonly realm: string }
  | { readonly kind: 'failed'; readonly reason: string; readonly retry: boolean };

/** Answers that say "not now" rather than "no": worth registering again after a while. */
const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([408, 480, 500, 502, 503, 504]);

/** "486 Busy Here": the code and the far end's phrase, kept to one line and a sane length. */
export function statusWords(status: number, reasonPhrase: string): string {
  const phrase = shownText(reasonPhrase.trim(), 80);
  return phrase === '' ? String(status) : `${status} ${phrase}`;
}

function challengeVerdict(answer: RegistrarAnswer, credentials: Credentials): FailureVerdict {
  const { status } = answer;
  const parsed = answer.challenge === null ? null : parseDigestChallenge(answer.challenge);
  if (parsed === null || !parsed.ok) {
    return {
      kind: 'failed',
      reason: `${status} the server's challenge could not be read`,
      retry: false,
    };
  }
  const { realm, algorithm } = parsed.value;
  if (algorithm !== null && algorithm.toUpperCase() !== 'MD5') {
    const named = shownText(algorithm, 32);
    return {
      kind: 'failed',
      reason: `${status} the server asks for ${named} digest, which is not supported`,
      retry: false,
    };
  }
  if (realm !== credentials.realm) return { kind: 'realm', realm };
  if (!credentials.hasHa1) {
    return {
      kind: 'failed',
      reason: `${status} no password is set for this account`,
      retry: false,
    };
  }
  // JsSIP answers a challenge once; a second one means the digest was wrong.
  return { kind: 'failed', reason: `${status} wrong user name or password`, retry: false };
}

export function registrationVerdict(
  failure: RegistrationFailure,
  credentials: Credentials,
): FailureVerdict {
  const { answer, cause } = failure;
  if (answer === null) {
    if (cause === REQUEST_TIMEOUT) {
      return { kind: 'failed', reason: 'the server did not answer in time', retry: true };
    }
    // CONNECTION_ERROR and anything else without an answer: the socket is gone; JsSIP
    // reconnects by itself and registers again once it is back.
    return { kind: 'failed', reason: 'server unreachable', retry: cause !== CONNECTION_ERROR };
  }
  const { status, reasonPhrase } = answer;
  if (status === 401 || status === 407) return challengeVerdict(answer, credentials);
  if (status === 403)
    return { kind: 'failed', reason: '403 wrong user name or password', retry: false };
  if (status === 404) return { kind: 'failed', reason: '404 unknown user', retry: false };
  return {
    kind: 'failed',
    reason: statusWords(status, reasonPhrase),
    retry: TRANSIENT_STATUSES.has(status),
  };
}

/** What a dropped WebSocket to the PBX means to a person. */
export interface SocketDrop {
  readonly secure: boolean;
  /** Whether this socket was ever open since the engine started. */
  readonly everConnected: boolean;
  /** The WebSocket close code, when the browser gave one. */
  readonly code: number | null;
}

/** RFC 6455 7.4.1: the TLS handshake failed. Chromium says 1006 instead, so it is a hint. */
const TLS_HANDSHAKE_FAILED = 1015;

export function socketDropReason(drop: SocketDrop): string {
  if (drop.code === TLS_HANDSHAKE_FAILED) return 'TLS certificate refused';
  // A browser reports a refused certificate exactly like a refused connection (1006);
  // the first failure on wss:// may be either, and the person should check both.
  if (drop.secure && !drop.everConnected) return 'server unreachable or TLS certificate refused';
  return 'server unreachable';
}
