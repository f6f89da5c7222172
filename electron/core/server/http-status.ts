import type { CommandError } from '../../../shared/model/command-error.ts';

/**
 * The HTTP status for each refusal of a command or event, for the doors that answer over
 * HTTP (the listen port, the local API): the compiler finds a CommandError code left out.
 */
export function commandErrorStatus(error: CommandError): number {
  switch (error.code) {
    case 'no-such-line':
    case 'invalid-event':
      return 400;
    case 'history-unavailable':
    case 'backend-unavailable':
      return 503;
    case 'timed-out':
      return 504;
    case 'not-capable':
    case 'no-call':
    case 'not-allowed-now':
    case 'refused-by-far-end':
      return 409;
  }
}
