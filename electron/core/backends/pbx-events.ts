import type { Command } from '../../../shared/model/command.ts';
import { err, ok } from '../../../shared/result.ts';
import type { Backend, ReportEvent } from './backend.ts';

/**
 * A PBX that tells us about its calls by posting to the listen port. We have no channel
 * back to it, so the only thing a user can do here is choose which line is in front.
 */
export function createPbxEventsBackend(report: ReportEvent): Backend {
  return {
    type: 'pbx-events',
    capabilities: new Set(['SelectLine']),
    acceptsPushedEvents: true,
    execute(command: Command) {
      if (command.kind !== 'SelectLine') {
        return Promise.resolve(
          err({ code: 'not-capable', message: `PBX-pushed events cannot ${command.kind}` }),
        );
      }
      const reported = report({ kind: 'LineSelected', line: command.line });
      return Promise.resolve(
        reported.ok ? ok(null) : err({ code: 'refused', message: reported.error.message }),
      );
    },
    close: () => Promise.resolve(),
  };
}
