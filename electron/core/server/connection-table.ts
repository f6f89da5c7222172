import { isBusy, slotsFor, type PortLimits, type PortPolicy } from './port-policy.ts';

/**
 * Who holds a port's connection slots, and who gives one up when a client with a complete
 * request needs it. No sockets here: keys are whatever the caller tracks, times are passed
 * in, so the rules can be tested on their own.
 *
 * - A new connection takes a free slot, or waits "in overflow" to be answered 503 once its
 *   request arrives, or (overflow full too) is closed at once.
 * - A complete request from overflow takes a free slot, or the slot of the connection that
 *   has waited longest without completing one (past a short grace). Header-incomplete
 *   connections never push anyone out, so a slowloris can only take slots that are free.
 * - Waiting connections have a deadline for their request, cut short while the port is busy.
 */

/** `taken`: upgraded to another protocol; it keeps its slot but HTTP deadlines are over. */
export type Phase = 'waiting' | 'active' | 'taken' | 'refusing';

interface Entry {
  readonly peer: string;
  readonly loopback: boolean;
  served: boolean;
  phase: Phase;
  /** When it entered its phase: connected, or finished its last response. */
  since: number;
  /** Requests under way (pipelined requests count one each). */
  active: number;
  /** Requests answered so far on this connection. */
  answered: number;
}

export interface Expired<K> {
  readonly key: K;
  /** It answered a request before: an idle keep-alive rather than a stalled request. */
  readonly keptAlive: boolean;
}

export type Admission = 'served' | 'overflow' | 'full';

export class ConnectionTable<K> {
  readonly #entries = new Map<K, Entry>();
  readonly #limits: PortLimits;
  #policy: PortPolicy;

  constructor(policy: PortPolicy, limits: PortLimits) {
    this.#policy = policy;
    this.#limits = limits;
  }

  setPolicy(policy: PortPolicy): void {
    this.#policy = policy;
  }

  get size(): number {
    return this.#entries.size;
  }

  keys(): K[] {
    return [...this.#entries.keys()];
  }

  phase(key: K): Phase | null {
    return this.#entries.get(key)?.phase ?? null;
  }

  /** Connections holding a slot, and those beyond the limit waiting for their 503. */
  counts(): { readonly served: number; readonly overflow: number } {
    let served = 0;
    let overflow = 0;
    for (const entry of this.#entries.values()) {
      if (entry.phase === 'refusing') continue;
      if (entry.served) served++;
      else overflow++;
    }
    return { served, overflow };
  }

  admit(key: K, peer: string, loopback: boolean, now: number): Admission {
    const served = this.#hasSlot(peer, loopback);
    if (!served && this.counts().overflow >= this.#limits.maxOverflow) return 'full';
    this.#entries.set(key, {
      peer,
      loopback,
      served,
      phase: 'waiting',
      since: now,
      active: 0,
      answered: 0,
    });
    return served ? 'served' : 'overflow';
  }

  /**
   * A complete request arrived. Answers whether it is served, and which connection, if
   * any, gave up its slot for it (the caller closes that one).
   */
  requestStarted(key: K, now: number): { readonly served: boolean; readonly evicted: K | null } {
    const entry = this.#entries.get(key);
    if (!entry || entry.phase === 'refusing') return { served: false, evicted: null };
    entry.phase = 'active';
    entry.active++;
    entry.since = now;
    if (entry.served) return { served: true, evicted: null };
    if (this.#hasSlot(entry.peer, entry.loopback)) {
      entry.served = true;
      return { served: true, evicted: null };
    }
    const evicted = this.#longestWaiting(entry, now);
    if (evicted === null) return { served: false, evicted: null };
    this.refusing(evicted);
    entry.served = true;
    return { served: true, evicted };
  }

  requestFinished(key: K, now: number): void {
    const entry = this.#entries.get(key);
    if (!entry || entry.phase !== 'active') return;
    entry.active = Math.max(0, entry.active - 1);
    entry.answered++;
    if (entry.active === 0) {
      entry.phase = 'waiting';
      entry.since = now;
    }
  }

  taken(key: K): void {
    const entry = this.#entries.get(key);
    if (entry) entry.phase = 'taken';
  }

  /** Being refused and closed: it no longer counts, and is never picked again. */
  refusing(key: K): void {
    const entry = this.#entries.get(key);
    if (entry) entry.phase = 'refusing';
  }

  remove(key: K): void {
    this.#entries.delete(key);
  }

  /** Waiting connections past their deadline, now marked refusing. */
  expire(now: number): Expired<K>[] {
    const { served, overflow } = this.counts();
    const busy = isBusy(served, overflow, this.#limits);
    const expired: Expired<K>[] = [];
    for (const [key, entry] of this.#entries) {
      if (entry.phase !== 'waiting') continue;
      const quietLimit =
        entry.answered > 0 ? this.#limits.keepAliveMs : this.#limits.headersTimeoutMs;
      const limit = busy || !entry.served ? this.#limits.busyHeadersTimeoutMs : quietLimit;
      if (now - entry.since < limit) continue;
      entry.phase = 'refusing';
      expired.push({ key, keptAlive: entry.answered > 0 });
    }
    return expired;
  }

  #hasSlot(peer: string, loopback: boolean): boolean {
    const { served } = this.counts();
    if (served >= this.#limits.maxConnections) return false;
    return this.#servedBy(peer) < slotsFor(loopback, this.#policy, this.#limits);
  }

  #servedBy(peer: string): number {
    let count = 0;
    for (const entry of this.#entries.values()) {
      if (entry.served && entry.phase !== 'refusing' && entry.peer === peer) count++;
    }
    return count;
  }

  /** From the same peer when it is at its own cap, else from anyone; oldest first. */
  #longestWaiting(requester: Entry, now: number): K | null {
    const ownCap =
      this.#servedBy(requester.peer) >= slotsFor(requester.loopback, this.#policy, this.#limits);
    let found: K | null = null;
    let oldest = Number.POSITIVE_INFINITY;
    for (const [key, entry] of this.#entries) {
      if (!entry.served || entry.phase !== 'waiting') continue;
      if (ownCap && entry.peer !== requester.peer) continue;
      if (now - entry.since < this.#limits.evictGraceMs) continue;
      if (entry.since < oldest) {
        oldest = entry.since;
        found = key;
      }
    }
    return found;
  }
}
