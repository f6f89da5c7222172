import type { Command } from '../../../shared/model/command.ts';
import { err, ok } from '../../../shared/result.ts';
import { Signal } from '../signal.ts';
import type { Backend, BackendFactory, BackendStatus } from './backend.ts';

const STATUS: BackendStatus = {
  state: { state: 'ready', summary: 'Waiting for call events from the PBX' },
  capabilities: new Set(['SelectLine']),
};

/**
 * A PBX that tells us about its calls by posting to the listen port. We have no channel
 * back to it, so the only thing a user can do here is choose which line is in front.
 */
export const createPbxEventsBackend: BackendFactory<'pbx-events'> = ({ report }): Backend => ({
  type: 'pbx-events',
  acceptsPushedEvents: true,
  connectSources: [],
  status: () => STATUS,
  // Never fires: with nothing to connect to, this backend is always ready.
  statusChanged: new Signal(),
  execute(command: Command) {
    if (command.kind !== 'SelectLine') {
      return Promise.resolve(
        err({
          code: 'not-capable',
          kind: command.kind,
          message: `PBX-pushed events cannot ${command.kind}`,
        }),
      );
    }
    const reported = report({ kind: 'LineSelected', line: command.line });
    return Promise.resolve(
      reported.ok
        ? ok(null)
        : err({ code: 'not-allowed-now', line: command.line, message: reported.error.message }),
    );
  },
  close: () => Promise.resolve(),
});
