import type * as JsSIP from 'jssip';
import type { DisconnectEvent, UnRegisteredEvent } from 'jssip/lib/UA';
import type { EngineAccount, EngineReport, RegistrationState } from '../../shared/bridge/engine.ts';
import {
  registrationVerdict,
  socketDropReason,
  statusWords,
  type RegistrarAnswer,
} from './reason.ts';
import { logReport, shownText } from './shown-text.ts';

/**
 * Follows one UA's registration and reports it in a person's words. JsSIP does the rest by
 * itself: it reconnects the WebSocket with backoff and registers again each time it is
 * back, and refreshes before expiry. What it does not do is try again after a registrar's
 * "not now" (503, a timeout) on a live socket, so that is done here: on a widening ladder,
 * then once a minute for as long as the registrar keeps saying "not now", as a desk phone
 * does. A person never has to press anything for the phone to come back.
 */

export type Report = (report: EngineReport) => void;

const RETRY_DELAYS_MS = [5_000, 10_000, 20_000, 40_000, 60_000] as const;
/** A registrar that names a new realm each time would otherwise loop through the core. */
const MAX_REALM_ROUNDS = 3;

function answerOf(
  response: UnRegisteredEvent['response'] | null | undefined,
): RegistrarAnswer | null {
  // JsSIP passes null (not undefined) when no answer came; its types say otherwise.
  if (response === null || response === undefined) return null;
  const header = response.status_code === 407 ? 'proxy-authenticate' : 'www-authenticate';
  return {
    status: response.status_code,
    reasonPhrase: response.reason_phrase,
    challenge: response.hasHeader(header) ? response.getHeader(header) : null,
  };
}

export class RegistrationWatch {
  readonly #ua: JsSIP.UA;
  readonly #report: Report;
  #account: EngineAccount;
  #state: RegistrationState;
  #everConnected = false;
  #retries = 0;
  #retryTimer: ReturnType<typeof setTimeout> | null = null;
  #realmRounds = 0;
  #closing = false;

  constructor(ua: JsSIP.UA, account: EngineAccount, report: Report) {
    this.#ua = ua;
    this.#account = account;
    this.#report = report;
    this.#state = account.register
      ? { state: 'registering' }
      : { state: 'unregistered', reason: null };
    ua.on('connected', () => {
      this.#everConnected = true;
      if (this.#account.register) this.#set({ state: 'registering' });
    });
    ua.on('disconnected', (event) => {
      this.#onDisconnected(event);
    });
    ua.on('registered', () => {
      this.#retries = 0;
      this.#realmRounds = 0;
      this.#log('in', `REGISTER accepted: registered as ${this.#account.uri}`, null);
      this.#set({ state: 'registered', aor: this.#account.uri });
    });
    ua.on('unregistered', () => {
      // After a failure or a dropped socket the failure has been said already.
      if (this.#state.state === 'failed') return;
      this.#set({ state: 'unregistered', reason: null });
    });
    ua.on('registrationFailed', (event) => {
      this.#onFailed(event);
    });
  }

  get state(): RegistrationState {
    return this.#state;
  }

  /** The account changed in place (new HA1, register switched); the UA stays. */
  update(account: EngineAccount): void {
    this.#account = account;
    this.#cancelRetry();
    this.#retries = 0;
    if (!account.register) {
      if (this.#ua.isRegistered()) this.#ua.unregister();
      this.#set({ state: 'unregistered', reason: null });
      return;
    }
    if (this.#ua.isRegistered()) return;
    this.#set({ state: 'registering' });
    // Before the socket is up JsSIP registers by itself once it connects.
    if (this.#ua.isConnected()) this.#ua.register();
  }

  /** Say the current state again, for a core that has just (re)connected. */
  resync(): void {
    this.#report({ kind: 'registration', registration: this.#state });
  }

  /** The engine is stopping: JsSIP unregisters, and what follows is no failure. */
  close(): void {
    this.#closing = true;
    this.#cancelRetry();
    if (this.#state.state !== 'unregistered') this.#set({ state: 'unregistered', reason: null });
  }

  #onDisconnected(event: DisconnectEvent): void {
    if (this.#closing) return;
    const reason = socketDropReason({
      secure: this.#account.server.toLowerCase().startsWith('wss:'),
      everConnected: this.#everConnected,
      code: event.code ?? null,
    });
    this.#cancelRetry();
    if (this.#state.state !== 'failed' || this.#state.reason !== reason) {
      this.#log('in', `WebSocket to ${this.#account.server} closed`, reason);
    }
    this.#set({ state: 'failed', reason });
  }

  #onFailed(event: UnRegisteredEvent): void {
    if (this.#closing) return;
    const answer = answerOf(event.response);
    const verdict = registrationVerdict(
      { answer, cause: event.cause ?? '' },
      { realm: this.#account.realm, hasHa1: this.#account.ha1 !== null },
    );
    const heard =
      answer === null
        ? 'REGISTER got no answer'
        : `REGISTER: ${statusWords(answer.status, answer.reasonPhrase)}`;
    if (verdict.kind === 'realm') {
      this.#realmRounds += 1;
      if (this.#realmRounds <= MAX_REALM_ROUNDS) {
        this.#log('in', `${heard}, realm "${shownText(verdict.realm, 64)}"`, null);
        // Still registering: the core answers with a `start` that carries this realm's HA1.
        this.#set({ state: 'registering' });
        this.#report({ kind: 'realm', realm: verdict.realm });
        return;
      }
      const reason = `${answer?.status ?? 401} the server keeps asking for another realm`;
      this.#log('in', heard, reason);
      this.#set({ state: 'failed', reason });
      return;
    }
    this.#log('in', heard, verdict.reason);
    this.#set({ state: 'failed', reason: verdict.reason });
    if (verdict.retry) this.#scheduleRetry();
  }

  #scheduleRetry(): void {
    const delay = RETRY_DELAYS_MS[this.#retries] ?? RETRY_DELAYS_MS[RETRY_DELAYS_MS.length - 1];
    this.#retries = Math.min(this.#retries + 1, RETRY_DELAYS_MS.length);
    this.#cancelRetry();
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      if (this.#closing || !this.#account.register || !this.#ua.isConnected()) return;
      this.#set({ state: 'registering' });
      this.#ua.register();
    }, delay);
  }

  #cancelRetry(): void {
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
  }

  #set(next: RegistrationState): void {
    if (JSON.stringify(next) === JSON.stringify(this.#state)) return;
    this.#state = next;
    this.#report({ kind: 'registration', registration: next });
  }

  #log(direction: 'in' | 'out', summary: string, error: string | null): void {
    this.#report(logReport(direction, summary, error));
  }
}
