import type { BackendState } from '../../../shared/bridge/contract.ts';
import type { CommandError } from '../../../shared/model/command-error.ts';
import type { Command, CommandKind } from '../../../shared/model/command.ts';
import { telUriFor } from '../../../shared/protocols/tel-uri.ts';
import { err, ok, type Result } from '../../../shared/result.ts';
import { Signal } from '../signal.ts';
import type { Backend, BackendContext, BackendFactory, BackendStatus } from './backend.ts';
import { queryTelHandler, type TelHandler } from './tel-handler.ts';

/**
 * Season Office's "TEL (Outgoing calls only)": a call is handed to the system's tel:
 * handler (another softphone) as `tel:<number>`, and that program has the call from then on.
 * So nothing goes on a line and nothing reaches the history: Callbridge never learns whether
 * the call was answered or how long it lasted, and a row would claim a call that may not have
 * happened. Each hand-over, and each refusal, is in the integration log instead.
 *
 * Calls a PBX reports to the listen port still show on the lines (the document's HTTP
 * Message Alerting is for TAPI and TEL), so this backend takes pushed events, and a line can
 * be selected, as with PBX-pushed events.
 */

export const CAN_ONLY_DIAL = 'the TEL extension type can only dial';
const HOW_TO_SET =
  'make your softphone the default for tel: links (xdg-mime default <softphone>.desktop x-scheme-handler/tel)';
export const NO_HANDLER = `no program is set to handle tel: links; ${HOW_TO_SET}`;
export const selfHandler = (entry: string): string =>
  `the system's tel: handler is Callbridge itself (${entry}), so a call handed to it would come straight back here; ${HOW_TO_SET}`;

const CAPABILITIES: ReadonlySet<CommandKind> = new Set<CommandKind>(['MakeCall', 'SelectLine']);

/** What the backend asks of the system: which program handles tel:, and whether there is a display. */
export interface TelSystem {
  readonly handler: () => Promise<TelHandler>;
  /**
   * Linux without DISPLAY or WAYLAND_DISPLAY: xdg-open (which Electron's shell.openExternal
   * runs too) then looks for a text browser instead of the tel: handler, so a failure
   * names that as its likely cause.
   */
  readonly headless: boolean;
}

export function systemTel(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  isSelf?: () => boolean,
): TelSystem {
  const display = (env['DISPLAY'] ?? '') !== '' || (env['WAYLAND_DISPLAY'] ?? '') !== '';
  return {
    // The app's own answer first (macOS, Windows: the core cannot ask the system there).
    handler: () =>
      isSelf?.() === true
        ? Promise.resolve({ kind: 'named', entry: 'Callbridge', isCallbridge: true })
        : queryTelHandler({ env, platform }),
    headless: platform === 'linux' && !display,
  };
}

const HEADLESS_HINT =
  ' (DISPLAY and WAYLAND_DISPLAY are unset: outside a graphical session xdg-open does not use tel: handlers)';

/** The header's line for what the system answered; TEL needs nothing else to be ready. */
function stateFor(handler: TelHandler | null): BackendState {
  if (handler === null) {
    return { state: 'connecting', summary: 'Asking the system which program handles tel: links' };
  }
  switch (handler.kind) {
    case 'named':
      return handler.isCallbridge
        ? { state: 'unavailable', summary: 'Cannot dial', reason: selfHandler(handler.entry) }
        : { state: 'ready', summary: `Dials through ${handler.entry}` };
    case 'none':
      return { state: 'unavailable', summary: 'Cannot dial', reason: NO_HANDLER };
    case 'unknown':
      return {
        state: 'ready',
        summary: `Dials through the system's tel: handler${handler.why === null ? '' : ` (${handler.why})`}`,
      };
  }
}

/** Why a known handler cannot take the call, or null when it can (or it is not known). */
function refusalFor(handler: TelHandler): string | null {
  if (handler.kind === 'none') return NO_HANDLER;
  if (handler.kind === 'named' && handler.isCallbridge) return selfHandler(handler.entry);
  return null;
}

const nameOf = (handler: TelHandler): string =>
  handler.kind === 'named' ? handler.entry : "the system's tel: handler";

/** The TEL backend, asking `given`; by default the system in the core's own environment. */
export function telBackend(given?: TelSystem): BackendFactory<'tel'> {
  return ({ report, log, openExternal, isSelfTelHandler }: BackendContext<'tel'>): Backend => {
    const system = given ?? systemTel(process.env, process.platform, isSelfTelHandler);
    const statusChanged = new Signal<BackendStatus>();
    let handler: TelHandler | null = null;
    let closed = false;
    const status = (): BackendStatus => ({ state: stateFor(handler), capabilities: CAPABILITIES });

    // Asked at start for the status and again before every call: the user may change the
    // default while Callbridge runs, and a stale answer could loop a call back here.
    const ask = async (): Promise<TelHandler> => {
      const answer = await system.handler();
      if (closed) return answer;
      const before = JSON.stringify(stateFor(handler));
      handler = answer;
      if (JSON.stringify(stateFor(handler)) !== before) statusChanged.emit(status());
      return answer;
    };
    void ask();

    const logged = (
      number: string,
      to: string,
      raw: string,
      error: string | null,
      outcome: string,
    ) => {
      log.add({
        direction: 'out',
        session: null,
        from: to,
        raw,
        reading: `MakeCall ${number}`,
        error,
        outcome,
      });
    };

    const dial = async (number: string): Promise<Result<null, CommandError>> => {
      const uri = telUriFor(number);
      if (!uri.ok) {
        logged(number, "the system's tel: handler", number, uri.error, 'not dialled');
        return err({ code: 'not-capable', kind: 'MakeCall', message: uri.error });
      }
      const answer = await ask();
      const to = nameOf(answer);
      const refused = refusalFor(answer);
      if (refused !== null) {
        logged(number, to, uri.value, refused, 'not dialled');
        return err({ code: 'backend-unavailable', message: refused });
      }
      const opened = await openExternal(uri.value);
      if (!opened.ok) {
        const message = `${to} was not given ${uri.value}: ${opened.error}${system.headless ? HEADLESS_HINT : ''}`;
        logged(number, to, uri.value, message, 'not dialled');
        return err({ code: 'backend-unavailable', message });
      }
      logged(number, to, uri.value, null, `handed to ${to}`);
      return ok(null);
    };

    return {
      type: 'tel',
      acceptsPushedEvents: true,
      connectSources: [],
      status,
      statusChanged,
      refusal: (kind) => (CAPABILITIES.has(kind) ? null : CAN_ONLY_DIAL),
      execute(command: Command) {
        switch (command.kind) {
          case 'MakeCall':
            return dial(command.number);
          case 'SelectLine': {
            const reported = report({ kind: 'LineSelected', line: command.line });
            return Promise.resolve(
              reported.ok
                ? ok(null)
                : err({
                    code: 'not-allowed-now',
                    line: command.line,
                    message: reported.error.message,
                  }),
            );
          }
          default:
            return Promise.resolve(
              err({ code: 'not-capable', kind: command.kind, message: CAN_ONLY_DIAL }),
            );
        }
      },
      close: () => {
        closed = true;
        return Promise.resolve();
      },
    };
  };
}

export const createTelBackend: BackendFactory<'tel'> = telBackend();
