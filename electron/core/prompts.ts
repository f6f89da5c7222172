import { randomUUID } from 'node:crypto';
import type { BridgeResult } from '../../shared/bridge/contract.ts';
import type { LogSource } from '../../shared/model/integration-log.ts';
import type { Prompt, PromptAnswer, PromptReply } from '../../shared/model/prompt.ts';
import { err, ok, type Result } from '../../shared/result.ts';
import { Signal } from './signal.ts';

/**
 * Questions the core puts to the person at the Comms Manager (shared/model/prompt.ts): a
 * door asks, every connected page shows the pending ones (the bridge's `prompts` snapshot
 * field and event), and the first `answerPrompt` decides. What Yes does stays here, in the
 * core: the page only ever sends an id and yes or no, so it cannot change what it agrees to.
 * No answer within the time limit is No, and so is closing the core.
 */

/** A question, and what Yes does. */
export interface Question {
  readonly source: LogSource;
  readonly question: string;
  readonly detail: string;
  /** Runs once, on Yes: what it did in a person's words, or why it could not. */
  readonly onYes: () => Promise<Result<string, string>>;
}

/** How a question ended. */
export type Settled =
  | { readonly answer: 'yes'; readonly result: Result<string, string> }
  | { readonly answer: 'no' | 'expired' | 'closed' };

export interface Asked {
  readonly prompt: Prompt;
  /** Resolves once, however the question ends; never rejects. */
  readonly settled: Promise<Settled>;
}

/** Two minutes: long enough to come back to the desk, short enough that a stale link dies. */
export const PROMPT_TIMEOUT_MS = 120_000;
/** Questions waiting at once; a page firing links cannot bury the person in dialogs. */
export const PROMPT_CAPACITY = 8;

export interface PromptDeskOptions {
  readonly timeoutMs?: number;
  readonly capacity?: number;
  readonly now?: () => number;
}

interface Pending {
  readonly prompt: Prompt;
  readonly question: Question;
  readonly timer: NodeJS.Timeout;
  readonly settle: (settled: Settled) => void;
}

const NOTHING_CHANGED = 'Nothing was changed.';

export class PromptDesk {
  /** Every pending question, oldest first, after each change. */
  readonly changed = new Signal<readonly Prompt[]>();
  readonly #pending = new Map<string, Pending>();
  readonly #timeoutMs: number;
  readonly #capacity: number;
  readonly #now: () => number;

  constructor(options: PromptDeskOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? PROMPT_TIMEOUT_MS;
    this.#capacity = options.capacity ?? PROMPT_CAPACITY;
    this.#now = options.now ?? Date.now;
  }

  /** Oldest first (a Map keeps insertion order). */
  pending(): readonly Prompt[] {
    return [...this.#pending.values()].map((entry) => entry.prompt);
  }

  /** Puts the question to every page; refused, saying why, while too many already wait. */
  ask(question: Question): Result<Asked, string> {
    if (this.#pending.size >= this.#capacity) {
      return err(
        `${this.#pending.size} questions are already waiting for an answer in the Comms Manager`,
      );
    }
    const askedAt = this.#now();
    const prompt: Prompt = {
      id: randomUUID(),
      source: question.source,
      question: question.question,
      detail: question.detail,
      askedAt,
      expiresAt: askedAt + this.#timeoutMs,
    };
    let settle: (settled: Settled) => void = () => undefined;
    const settled = new Promise<Settled>((resolve) => {
      settle = resolve;
    });
    const timer = setTimeout(() => {
      this.#take(prompt.id)?.settle({ answer: 'expired' });
    }, this.#timeoutMs);
    // A question nobody answers must not keep a script's process alive.
    timer.unref();
    this.#pending.set(prompt.id, { prompt, question, timer, settle });
    this.#emit();
    return ok({ prompt, settled });
  }

  /** The page's answer. Only the first one for a question counts. */
  async answer({ id, answer }: PromptAnswer): Promise<BridgeResult<PromptReply>> {
    const entry = this.#take(id);
    if (entry === undefined) {
      return err({
        code: 'refused',
        message: 'this question has already been answered, or it expired',
      });
    }
    if (answer === 'no') {
      entry.settle({ answer: 'no' });
      return ok({ outcome: NOTHING_CHANGED });
    }
    let result: Result<string, string>;
    try {
      result = await entry.question.onYes();
    } catch (error) {
      result = err(error instanceof Error ? error.message : String(error));
    }
    entry.settle({ answer: 'yes', result });
    return result.ok
      ? ok({ outcome: result.value })
      : err({ code: 'failed', message: result.error });
  }

  /** Every question still waiting ends as No. */
  close(): void {
    const entries = [...this.#pending.values()];
    for (const entry of entries) clearTimeout(entry.timer);
    this.#pending.clear();
    if (entries.length > 0) this.#emit();
    for (const entry of entries) entry.settle({ answer: 'closed' });
  }

  /** Removes a pending question, once: whoever takes it settles it. */
  #take(id: string): Pending | undefined {
    const entry = this.#pending.get(id);
    if (entry === undefined) return undefined;
    clearTimeout(entry.timer);
    this.#pending.delete(id);
    this.#emit();
    return entry;
  }

  #emit(): void {
    this.changed.emit(this.pending());
  }
}
