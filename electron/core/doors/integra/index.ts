import type { DoorStatus } from '../../../../shared/bridge/contract.ts';
import { isInternalNumber, type IntegraSettings } from '../../../../shared/doors/integra.ts';
import { expand, parseTemplate, type Template } from '../../../../shared/protocols/integra.ts';
import { err, ok, type Result } from '../../../../shared/result.ts';
import type { LogWriter } from '../../integration-log.ts';
import type { LineChange } from '../../switchboard.ts';
import type { Door, DoorContext, DoorDefinition, PreparedChange } from '../door.ts';
import type { FieldError } from '../../../../shared/model/settings.ts';
import { integraEventsOf, integraValues, type IntegraOccurrence } from './call-events.ts';
import { CommandRunner } from './command-runner.ts';
import { describeRunRecord, type RunRecord } from './run-record.ts';

/**
 * VOIspeed Integra as a door: it listens to the switchboard's changes, so its events fire
 * for calls from every backend and door alike, and runs the user's command (without a
 * shell, bounded in time and in number) for each event ticked in its settings section.
 */

/** What runs while Integra is on: the saved section, its parsed template and one runner. */
type LogEntryFields = Parameters<LogWriter['add']>[0];

interface Running {
  readonly settings: IntegraSettings;
  readonly template: Template;
  readonly runner: CommandRunner;
}

const ON_EVENTS = (settings: IntegraSettings): string =>
  settings.events.length === 0 ? 'no event is ticked' : `on ${settings.events.join(', ')}`;

const targetOf = (template: Template): string => {
  if (template.kind === 'program') return template.file;
  const text = template.url.pieces.map((piece) => (piece.kind === 'text' ? piece.text : '…'));
  return URL.parse(text.join(''))?.origin ?? 'a URL';
};

/** The run's error for the log's error column: null when it did its job. */
function runError(run: RunRecord): string | null {
  switch (run.status) {
    case 'opened':
      return null;
    case 'exited':
      return run.exitCode === 0 ? null : `exit status ${String(run.exitCode)}`;
    default:
      return run.error ?? run.status;
  }
}

/** The run as the integration log lists it: what, for which call, and how it went. */
function logEntry({ event, call }: IntegraOccurrence, run: RunRecord): LogEntryFields {
  const { target } = run;
  const number = call.number === '' ? 'a withheld number' : call.number;
  return {
    direction: 'out',
    session: `call ${call.id}`,
    from:
      target.kind === 'url'
        ? (URL.parse(target.url)?.origin ?? target.url)
        : (target.argv[0] ?? ''),
    raw: target.kind === 'url' ? target.url : JSON.stringify(target.argv),
    reading: `${event} for the ${call.direction} call with ${number} on line ${call.line}`,
    error: runError(run),
    outcome: describeRunRecord(run),
  };
}

class IntegraDoor implements Door<'integra'> {
  readonly id = 'integra';
  #context: DoorContext<'integra'> | null = null;
  #running: Running | null = null;
  #error: string | null = null;
  #unsubscribe: () => void = () => undefined;

  async start(context: DoorContext<'integra'>): Promise<void> {
    this.#context = context;
    this.#unsubscribe = context.switchboard.changed.on((change) => {
      this.#fire(change);
    });
    await this.#apply(context.settings);
  }

  status(): DoorStatus {
    if (this.#error !== null) {
      return { state: 'failed', summary: 'Not running commands', error: this.#error };
    }
    const running = this.#running;
    if (running === null) return { state: 'off', summary: 'Off' };
    const verb = running.template.kind === 'url' ? 'Opens' : 'Runs';
    return {
      state: 'ready',
      summary: `${verb} ${targetOf(running.template)} ${ON_EVENTS(running.settings)}`,
      readyLine: null,
      endpoint: null,
    };
  }

  /**
   * Nothing to bind, so nothing can fail late: the schema has checked the template already
   * (checked again here, since the door must never run a template it could not read).
   */
  prepare(next: IntegraSettings): Promise<Result<PreparedChange, FieldError[]>> {
    const parsed = next.enabled ? parseTemplate(next.command) : null;
    if (parsed !== null && !parsed.ok) {
      return Promise.resolve(
        err([{ field: 'command', message: `is not valid: ${parsed.error.message}` }]),
      );
    }
    return Promise.resolve(
      ok({ commit: () => this.#apply(next), rollback: () => Promise.resolve() }),
    );
  }

  async close(): Promise<void> {
    this.#unsubscribe();
    const running = this.#running;
    this.#running = null;
    await running?.runner.close();
  }

  /**
   * Takes `settings` in. The runner stays while its limits do, so a changed command or event
   * list leaves the commands already running alone; changed limits (or Integra turned off)
   * stop them, since a runner's limits are fixed.
   */
  async #apply(settings: IntegraSettings): Promise<void> {
    const context = this.#context;
    if (context === null) return;
    const previous = this.#running;
    const parsed = settings.enabled ? parseTemplate(settings.command) : null;
    this.#error =
      parsed !== null && !parsed.ok ? `the command is not valid: ${parsed.error.message}` : null;
    if (parsed === null || !parsed.ok) {
      this.#running = null;
      context.statusChanged();
      await previous?.runner.close();
      return;
    }
    const keep =
      previous !== null &&
      previous.settings.timeLimitSeconds === settings.timeLimitSeconds &&
      previous.settings.maxRunning === settings.maxRunning;
    const runner = keep
      ? previous.runner
      : new CommandRunner({
          openUrl: async (url) => {
            const opened = await context.openExternal(url);
            if (!opened.ok) throw new Error(opened.error);
          },
          timeLimitMs: settings.timeLimitSeconds * 1000,
          maxRunning: settings.maxRunning,
        });
    // Set before the old runner is closed, so events that arrive meanwhile use the new one.
    this.#running = { settings, template: parsed.value, runner };
    context.statusChanged();
    if (!keep) await previous?.runner.close();
  }

  #fire(change: LineChange): void {
    const running = this.#running;
    const log = this.#context?.log;
    if (running === null || log === undefined) return;
    const { settings, template, runner } = running;
    const at = new Date();
    for (const occurrence of integraEventsOf(change)) {
      if (!settings.events.includes(occurrence.event)) continue;
      const { number } = occurrence.call;
      if (settings.externalOnly && isInternalNumber(number, settings.internalDigits)) continue;
      const own = this.#context?.switchboard.backend.ownNumber ?? '';
      const command = expand(template, integraValues(occurrence, at, own));
      // run() never rejects: every outcome, a refusal included, comes back as a record.
      void runner.run(occurrence.event, command).then((run) => {
        log.add(logEntry(occurrence, run));
      });
    }
  }
}

export const integraDoor: DoorDefinition<'integra'> = {
  create: () => new IntegraDoor(),
};
