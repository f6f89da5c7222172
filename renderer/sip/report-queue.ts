import type { BridgeResult } from '../../shared/bridge/contract.ts';
import type { EngineReport } from '../../shared/bridge/engine.ts';

/**
 * The engine's reports on their way to the core, in the order the engine made them, with
 * at most `window` awaiting an answer. Fired all at once, the hundreds of reports an
 * INVITE flood makes in a second pass the core's limit on requests awaiting an answer
 * (`maxInFlight`, 32, in electron/core/server/local-server.ts), and each one past it is
 * refused and lost: a lost Terminated leaves its line busy for good, a lost Incoming rings
 * a call no door can see. The window stays well under that limit so that the page's own
 * commands and engine replies still fit beside it; order holds because one socket carries
 * them all and the core takes each report as it arrives.
 */
export const REPORTS_IN_FLIGHT = 8;

export function reportQueue(
  /** One `engineReport` request over the bridge. */
  send: (report: EngineReport) => Promise<BridgeResult<null>>,
  refused: (code: string, message: string) => void,
  window = REPORTS_IN_FLIGHT,
): (report: EngineReport) => void {
  const waiting: EngineReport[] = [];
  let inFlight = 0;
  const answered = (): void => {
    inFlight -= 1;
    pump();
  };
  const pump = (): void => {
    while (inFlight < window) {
      const next = waiting.shift();
      if (next === undefined) return;
      inFlight += 1;
      send(next).then(
        (result) => {
          if (!result.ok) refused(result.error.code, result.error.message);
          answered();
        },
        (error: unknown) => {
          refused('internal', error instanceof Error ? error.message : String(error));
          answered();
        },
      );
    }
  };
  return (report) => {
    waiting.push(report);
    pump();
  };
}
