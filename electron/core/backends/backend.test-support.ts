import type { CommandError } from '../../../shared/model/command-error.ts';
import { COMMAND_KINDS, type Command } from '../../../shared/model/command.ts';
import type { LineTable } from '../../../shared/model/line-table.ts';
import { err, ok, type Result } from '../../../shared/result.ts';
import { EngineHost } from '../engine-host.ts';
import { IntegrationLog } from '../integration-log.ts';
import { Signal } from '../signal.ts';
import type { SecretStore } from '../store/secret-store.ts';
import type { OpenExternal } from '../system-open.ts';
import type { Backend, BackendStatus, ReportEvent } from './backend.ts';
import { createPbxEventsBackend } from './pbx-events.ts';

/**
 * A backend that can do everything and remembers what it was asked, for routing tests;
 * `setStatus` plays a backend whose registration comes and goes. With `placesCalls` it also
 * reports what a phone would, before it answers: a MakeCall's Dialing on the line it names
 * (or the first free one), a Drop's or a blind Transfer's end of the call on its line.
 */
export function recordingBackend(executed: Command[], { placesCalls = false } = {}) {
  const statusChanged = new Signal<BackendStatus>();
  let report: ReportEvent = () => ok(null);
  const placed = (command: Command, table: LineTable) => {
    if (!placesCalls) return;
    const line = (command: { readonly line?: number | undefined }) =>
      command.line ?? table.lines.find((entry) => entry.call === null)?.line ?? 1;
    if (command.kind === 'MakeCall') {
      report({ kind: 'Dialing', line: line(command), number: command.number });
    } else if (command.kind === 'Drop') {
      report({ kind: 'Terminated', line: line(command), reason: 'hangup' });
    } else if (command.kind === 'Transfer' && command.target !== undefined) {
      report({ kind: 'Terminated', line: line(command), reason: 'transferred' });
    }
  };
  let status: BackendStatus = {
    state: { state: 'ready', summary: 'ready' },
    capabilities: new Set(COMMAND_KINDS),
  };
  const backend: Backend = {
    type: 'pbx-events',
    acceptsPushedEvents: false,
    connectSources: [],
    status: () => status,
    statusChanged,
    execute(command, table): Promise<Result<null, CommandError>> {
      executed.push(command);
      placed(command, table);
      return Promise.resolve(ok(null));
    },
    close: () => Promise.resolve(),
  };
  return {
    create: (given: ReportEvent): Backend => {
      report = given;
      return backend;
    },
    setStatus(next: BackendStatus) {
      status = next;
      statusChanged.emit(next);
    },
  };
}

/** The PBX-events backend as the registry builds it, for tests that need a real backend. */
export function pbxEventsBackend(report: ReportEvent): Backend {
  return createPbxEventsBackend({
    report,
    settings: { type: 'pbx-events' },
    secrets: emptySecrets,
    engine: new EngineHost(),
    log: new IntegrationLog().forSource('pbx-events'),
    openExternal: opensNothing,
  });
}

/** For tests whose code must not hand anything to the system; says so if it tries. */
export const opensNothing: OpenExternal = (url) =>
  Promise.resolve(err(`this test opens nothing (asked to open ${url})`));

/** PBX-pushed events keep no secrets; this store has none and takes none. */
const emptySecrets: SecretStore = {
  has: () => false,
  get: () => null,
  set: () => Promise.resolve(err('this test keeps no secrets')),
  delete: () => Promise.resolve(ok(null)),
  problem: null,
};
