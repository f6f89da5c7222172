import type { BridgeClient } from '../../shared/bridge/contract.ts';
import {
  EngineRequestSchema,
  type EngineCall,
  type EngineReply,
  type EngineReport,
  type EngineRole,
} from '../../shared/bridge/engine.ts';
import { SYSTEM_AUDIO } from '../../shared/model/settings.ts';
import { appStore, type AppStore } from '../store/app-store.ts';
import type { SipEngine } from './engine.ts';
import { reportQueue } from './report-queue.ts';
import { shownText } from './shown-text.ts';

/**
 * This page's side of the engine contract. Each time the link to the core comes up (and
 * the store holds the core's line table again) the page offers to host the SIP engine; the
 * core picks one page and says so (`engineRole`), then drives the engine with `engine`
 * requests, each answered with `engineReply`. Started once per page, next to the store.
 */

/**
 * How long the engine outlives a lost link. A core that restarts is back within seconds
 * and finds the calls still up; one that has gone for good must not leave a page
 * registered and ringing that nobody controls.
 */
const LINK_LOSS_GRACE_MS = 30_000;

/** WebRTC exists only in Chromium contexts with media devices (not in a test's DOM). */
const canHostEngine = (): boolean =>
  typeof RTCPeerConnection === 'function' &&
  // Absent outside secure contexts, whatever the DOM types say.
  'mediaDevices' in navigator &&
  typeof navigator.mediaDevices.getUserMedia === 'function';

/** EngineReplySchema caps the error; a longer one would make the core refuse the reply itself. */
function fitted(result: EngineReply['result']): EngineReply['result'] {
  if (result.ok) return result;
  const { code, message } = result.error;
  return { ok: false, error: { code: code.slice(0, 64), message: shownText(message, 512) } };
}

export function startEngineHost(client: BridgeClient, store: AppStore = appStore): () => void {
  if (!canHostEngine()) return () => undefined;

  let engine: SipEngine | null = null;
  let graceTimer: ReturnType<typeof setTimeout> | null = null;
  /**
   * Requests and role changes run one after another, in the order the core sent them:
   * the first `start` waits for JsSIP to load, and a `stop` behind it must wait too.
   */
  let queue: Promise<unknown> = Promise.resolve();
  const enqueue = (job: () => Promise<void> | void): void => {
    queue = queue.then(job).catch((error: unknown) => {
      console.warn('SIP engine host:', error);
    });
  };
  const refusedCodes = new Set<string>();

  const report = reportQueue(
    (engineReport: EngineReport) => client.invoke('engineReport', engineReport),
    (code, message) => {
      // Once per code: a core that refuses reports would otherwise flood the console.
      if (refusedCodes.has(code)) return;
      refusedCodes.add(code);
      console.warn(`SIP engine report refused (${code}): ${message}`);
    },
  );

  const running = async (): Promise<SipEngine> => {
    // JsSIP is loaded by the one page that hosts the engine, not by every view.
    const { SipEngine: Engine } = await import('./engine.ts');
    engine ??= new Engine({
      report,
      table: () => store.getState().linesView.table,
      audio: () => store.getState().settingsView?.settings.audio ?? SYSTEM_AUDIO,
    });
    return engine;
  };

  const stopEngine = (): void => {
    engine?.dispose();
    engine = null;
  };

  const cancelGrace = (): void => {
    if (graceTimer !== null) clearTimeout(graceTimer);
    graceTimer = null;
  };

  const applyRole = ({ hosting }: EngineRole): void => {
    enqueue(() => {
      cancelGrace();
      if (!hosting) {
        stopEngine();
        return;
      }
      // A core that restarted learns the registration and the calls that lived through it.
      engine?.resync();
    });
  };

  const handle = async (request: unknown): Promise<EngineReply['result']> => {
    const parsed = EngineRequestSchema.safeParse(request);
    if (!parsed.success) {
      const where = parsed.error.issues
        .map((issue) => `${issue.path.join('.') || 'request'}: ${issue.message}`)
        .join('; ');
      return { ok: false, error: { code: 'invalid-request', message: where } };
    }
    const engineRequest = parsed.data;
    switch (engineRequest.kind) {
      case 'start':
        cancelGrace();
        return (await running()).start(engineRequest.account);
      case 'stop':
        stopEngine();
        return { ok: true, value: null };
      case 'command':
        return engine === null
          ? {
              ok: false,
              error: {
                code: 'backend-unavailable',
                message: 'the SIP engine is not running in this page',
              },
            }
          : engine.command(engineRequest.command);
    }
  };

  const onRequest = ({ id, request }: EngineCall): void => {
    enqueue(async () => {
      let result: EngineReply['result'];
      try {
        result = await handle(request);
      } catch (error) {
        // JsSIP throws on states it did not expect; the core gets an answer all the same.
        const message = error instanceof Error ? error.message : String(error);
        result = {
          ok: false,
          error: { code: 'backend-unavailable', message },
        };
      }
      void client.invoke('engineReply', { id, result: fitted(result) });
    });
  };

  const offer = (): void => {
    void client.invoke('engineOffer', null).then((result) => {
      if (result.ok) applyRole(result.value);
    });
  };

  const unsubscribers = [
    client.on('engineRole', applyRole),
    client.on('engine', onRequest),
    store.subscribe((state, previous) => {
      const now = state.connection.state;
      const before = previous.connection.state;
      if (now === before) return;
      if (now === 'live') {
        offer();
      } else if (before === 'live' && engine !== null && graceTimer === null) {
        graceTimer = setTimeout(() => {
          graceTimer = null;
          stopEngine();
        }, LINK_LOSS_GRACE_MS);
      }
    }),
  ];
  if (store.getState().connection.state === 'live') offer();

  // Reload or close: unregister and hang up while the socket can still say so.
  const onPageHide = (): void => {
    stopEngine();
  };
  window.addEventListener('pagehide', onPageHide);

  return () => {
    window.removeEventListener('pagehide', onPageHide);
    for (const unsubscribe of unsubscribers) unsubscribe();
    cancelGrace();
    stopEngine();
  };
}
