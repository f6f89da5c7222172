import fs from 'node:fs';
import type { DoorStatus } from '../../../../shared/bridge/contract.ts';
import { LINKS_DEFAULTS, type LinksSettings } from '../../../../shared/doors/links.ts';
import { parseLink, type Link } from '../../../../shared/protocols/links/index.ts';
import { err, ok, type Result } from '../../../../shared/result.ts';
import type { Settled } from '../../prompts.ts';
import { newToken } from '../../server/token.ts';
import { ensureProfileDir, writeAtomically } from '../../store/settings-store.ts';
import type { Door, DoorContext, DoorDefinition } from '../door.ts';
import { sipExtensionFrom } from './account.ts';
import { LocalApi, type LinkAnswer } from './local-api.ts';
import {
  formatLocalApiFile,
  localApiFile,
  readLocalApiFile,
  type LocalApiAddress,
} from './local-api-file.ts';
import { describeLink, planLink, type LinkAction, type LinkRefusal } from './plan.ts';

/**
 * Click-to-dial links (`tel:`, `callto:`, `sip:`, `voispeed:`) as a door. Every link comes in
 * through the local API (local-api.ts), whoever clicked it: `callbridge open`, the browser
 * target's desktop entry, the Electron shell's protocol handler. Each is read by the links
 * parser before anything acts on it, planned (plan.ts), and acted on or put to the person
 * as a question; the link and what became of it go to the integration log.
 */
class LinksDoor implements Door<'links'> {
  readonly id = 'links';
  readonly #token = newToken();
  #context: DoorContext<'links'> | null = null;
  #settings: LinksSettings = LINKS_DEFAULTS;
  #api: LocalApi | null = null;
  #error: string | null = null;

  async start(context: DoorContext<'links'>): Promise<void> {
    this.#context = context;
    this.#settings = context.settings;
    const opened = await LocalApi.open({
      token: this.#token,
      intake: (link, from) => this.#open(link, from),
      log: context.log,
    });
    if (!opened.ok) {
      this.#error = `the local API cannot listen: ${opened.error}`;
    } else {
      const address = { port: opened.value.port, token: this.#token };
      const written = writeAddress(context.profileDir, address);
      if (written.ok) this.#api = opened.value;
      else {
        await opened.value.close();
        this.#error = written.error;
      }
    }
    context.statusChanged();
  }

  status(): DoorStatus {
    if (this.#error !== null) {
      return { state: 'failed', summary: 'Links cannot be handed in', error: this.#error };
    }
    const api = this.#api;
    if (api === null) return { state: 'off', summary: 'Closed' };
    return {
      state: 'ready',
      summary: `Local API on ${api.address}:${api.port}`,
      readyLine: `Local API: ${api.port}`,
      endpoint: { address: api.address, port: api.port },
    };
  }

  prepare(next: LinksSettings) {
    return Promise.resolve(
      ok({
        commit: () => {
          this.#settings = next;
          return Promise.resolve();
        },
        rollback: () => Promise.resolve(),
      }),
    );
  }

  async close(): Promise<void> {
    const context = this.#context;
    // Only our own file: another run on this profile may have written its own since.
    if (context !== null && this.#api !== null) {
      const file = readLocalApiFile(context.profileDir);
      if (file.ok && file.value?.token === this.#token) {
        fs.rmSync(localApiFile(context.profileDir), { force: true });
      }
    }
    await this.#api?.close();
    this.#api = null;
  }

  async #open(uri: string, from: string): Promise<LinkAnswer> {
    const context = this.#context;
    if (context === null) return err({ code: 'backend-unavailable', message: 'not started' });
    const parsed = parseLink(uri);
    const raw = parsed.ok ? shownLink(uri, parsed.value) : hideSecrets(uri);
    const note = (reading: string, error: string | null, outcome: string) => {
      context.log.add({ direction: 'in', session: null, from, raw, reading, error, outcome });
    };
    if (!parsed.ok) {
      note('', hideSecrets(parsed.error.message), 'nothing was done');
      return err({ code: 'malformed-link', message: parsed.error.message });
    }
    const reading = describeLink(parsed.value);
    const plan = planLink(parsed.value, {
      table: context.switchboard.table,
      askBeforeDialing: this.#settings.askBeforeDialing,
    });
    switch (plan.kind) {
      case 'refuse':
        note(reading, plan.error.message, 'nothing was done');
        return err(plan.error);
      case 'act': {
        const done = await this.#run(plan.action);
        note(
          reading,
          done.ok ? null : done.error.message,
          done.ok ? done.value : 'nothing was done',
        );
        return done.ok ? ok({ outcome: 'done', message: done.value }) : done;
      }
      case 'ask': {
        const asked = context.ask({
          source: 'links',
          question: plan.question,
          detail: plan.detail,
          onYes: async () => {
            const done = await this.#run(plan.action);
            return done.ok ? done : err(done.error.message);
          },
        });
        if (!asked.ok) {
          note(reading, asked.error, 'nothing was done');
          return err({ code: 'too-many-questions', message: asked.error });
        }
        note(reading, null, `asked in the Comms Manager: ${plan.question}`);
        void asked.value.settled.then((settled) => {
          const { error, outcome } = settledOutcome(settled);
          note(reading, error, outcome);
        });
        return ok({
          outcome: 'asked',
          message: `asked in the Comms Manager: ${plan.question} (No, or no answer within 2 minutes, changes nothing)`,
        });
      }
    }
  }

  async #run(action: LinkAction): Promise<Result<string, LinkRefusal>> {
    const context = this.#context;
    if (context === null) return err({ code: 'backend-unavailable', message: 'not started' });
    switch (action.kind) {
      case 'command': {
        const { switchboard } = context;
        const target = action.call;
        // A question may wait two minutes: its call may be gone, and another on its line.
        if (target && switchboard.table.lines[target.line - 1]?.call?.id !== target.id) {
          const message = `the call on line ${target.line} has ended; nothing was done`;
          return err({ code: 'no-call', line: target.line, message });
        }
        const result = await switchboard.execute(action.command);
        return result.ok ? ok(action.done) : result;
      }
      case 'set-up-account': {
        const { settingsAccess } = context;
        const current = settingsAccess.current();
        const saved = await settingsAccess.save({
          ...current,
          extension: sipExtensionFrom(action.account),
        });
        if (saved.ok) return ok(action.done);
        const fields = (saved.error.fields ?? []).map((f) => `${f.field} ${f.message}`);
        const why = fields.length > 0 ? fields.join('; ') : saved.error.message;
        return err({ code: 'settings-refused', message: `the SIP account was not set up: ${why}` });
      }
    }
  }
}

function writeAddress(profileDir: string, address: LocalApiAddress): Result<null, string> {
  try {
    ensureProfileDir(profileDir);
    // Owner-only from the start (a temporary file made 0600, then renamed over).
    writeAtomically(localApiFile(profileDir), formatLocalApiFile(address));
    return ok(null);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return err(`the local API's address could not be written: ${message}`);
  }
}

/** An autoconfiguration link as the log shows it: everything but the password hash. */
function shownLink(uri: string, link: Link): string {
  if (link.kind !== 'autoconfigure') return uri;
  const { user, domain, internal, servers } = link;
  return `voispeed:U${user}@${domain},[password hidden],${internal},${servers.join(',')}`;
}

/**
 * A voispeed: link that could not be read may still hold a password hash: everything after
 * its first comma (plain or escaped) is left out of the log, and so is any long run of hex
 * digits an error message quotes.
 */
function hideSecrets(text: string): string {
  const cut = /,|%2c/iu.exec(text);
  const shown =
    /^\s*voispeed:/iu.test(text) && cut ? `${text.slice(0, cut.index)},[rest hidden]` : text;
  return shown.replace(/[0-9A-Fa-f%]{16,}/gu, '[hidden]');
}

function settledOutcome(settled: Settled): { error: string | null; outcome: string } {
  switch (settled.answer) {
    case 'yes':
      return settled.result.ok
        ? { error: null, outcome: `Yes: ${settled.result.value}` }
        : { error: settled.result.error, outcome: 'Yes, but nothing was done' };
    case 'no':
      return { error: null, outcome: 'No: nothing was changed' };
    case 'expired':
      return { error: null, outcome: 'no answer within 2 minutes: nothing was changed' };
    case 'closed':
      return { error: null, outcome: 'Callbridge stopped before an answer: nothing was changed' };
  }
}

export const linksDoor: DoorDefinition<'links'> = {
  create: () => new LinksDoor(),
};
