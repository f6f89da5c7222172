import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { z } from 'zod';
import {
  BRIDGE,
  BROADCAST_NAMES,
  INVOKE_NAMES,
  type BridgeError,
  type BridgeHost,
  type BridgeResult,
  type InvokeName,
  type PageSession,
} from '../shared/bridge/contract.ts';
import { isAppUrl } from './app-origin.ts';
import type { Core } from './core/core-api.ts';

/**
 * The bridge contract over Electron IPC. Every invoke channel of `BRIDGE` goes through the
 * one handler below, which answers only the main frame of our window while it shows our
 * origin (VS Code's validatedIpcMain), validates the request against the channel's
 * schema, and answers a result, never a thrown error.
 *
 * Each document the window loads is one page to the core (see `windowPages`), so a
 * reloaded or crashed Comms Manager stops hosting the SIP engine and the page that
 * replaces it offers afresh.
 *
 * Returns a function that unregisters everything.
 */
export function registerBridgeIpc(core: Core, window: BrowserWindow): () => void {
  const contents = window.webContents;
  const pages = windowPages(contents, core.bridge);

  const answer = async (
    name: InvokeName,
    event: IpcMainInvokeEvent,
    request: unknown,
    document: unknown,
  ): Promise<BridgeResult<unknown>> => {
    const { channel } = BRIDGE[name];
    if (!isTrustedSender(event, contents)) {
      console.warn(`Refused ${channel} from ${event.senderFrame?.url ?? 'a vanished frame'}`);
      return failure({ code: 'refused', message: `${channel} is only answered to the app` });
    }
    const schema: z.ZodType = BRIDGE[name].request;
    const parsed = schema.safeParse(request);
    if (!parsed.success) {
      return failure({
        code: 'invalid-request',
        message: `the request does not match ${channel}`,
        fields: parsed.error.issues.map((issue) => ({
          field: issue.path.map(String).join('.') || '(request)',
          message: issue.message,
        })),
      });
    }
    if (typeof document !== 'string' || !DOCUMENT_ID.test(document)) {
      return failure({ code: 'refused', message: `${channel} came without its page's id` });
    }
    const session = pages.sessionFor(document);
    if (!session) return failure({ code: 'refused', message: 'this page has gone away' });
    try {
      return await session.invoke(name, parsed.data);
    } catch (error) {
      console.error(`The core failed on ${channel}:`, error);
      return failure({ code: 'internal', message: `the core failed on ${channel}` });
    }
  };

  for (const name of INVOKE_NAMES) {
    ipcMain.handle(BRIDGE[name].channel, (event, request: unknown, document: unknown) =>
      answer(name, event, request, document),
    );
  }
  const unsubscribes = BROADCAST_NAMES.map((name) =>
    core.bridge.on(name, (payload) => {
      if (!contents.isDestroyed()) contents.send(BRIDGE[name].channel, payload);
    }),
  );

  return () => {
    for (const name of INVOKE_NAMES) ipcMain.removeHandler(BRIDGE[name].channel);
    for (const unsubscribe of unsubscribes) unsubscribe();
    pages.close();
  };
}

/** What the preload makes once per document: 16 random bytes in hex. */
const DOCUMENT_ID = /^[0-9a-f]{32}$/;
/** Ids of documents gone, remembered so that their last requests are not taken for new pages. */
const RETIRED_KEPT = 16;

/**
 * The window's documents as pages of the core. The preload makes a random id per document
 * and sends it with every invoke (the page's own script cannot reach it or `ipcRenderer`),
 * so a page is exactly one document: a request carrying a new id is a new page and
 * replaces the old one, and a request carrying a retired id is refused. Events for one
 * page carry its id too, and the preload drops those meant for another document, so an
 * event sent while the window swaps documents cannot land in the wrong one.
 *
 * A document is retired when its replacement commits ('did-navigate', only for a
 * navigation that started while it was current, so an aborted navigation leaves it
 * be), when the renderer dies ('render-process-gone'), and when the window goes.
 * Attaching waits for the new document's first request rather than the commit: the
 * browser's notice of the commit and the new page's first request are not ordered.
 */
function windowPages(contents: WebContents, bridge: BridgeHost) {
  let current: { readonly document: string; readonly session: PageSession } | null = null;
  let leaving: string | null = null;
  const retired: string[] = [];

  const retire = () => {
    if (!current) return;
    retired.push(current.document);
    if (retired.length > RETIRED_KEPT) retired.shift();
    current.session.detach();
    current = null;
  };
  const onStart = (details: {
    readonly isMainFrame: boolean;
    readonly isSameDocument: boolean;
  }) => {
    if (details.isMainFrame && !details.isSameDocument) leaving = current?.document ?? null;
  };
  const onCommit = () => {
    if (leaving !== null && current?.document === leaving) retire();
    leaving = null;
  };
  contents.on('did-start-navigation', onStart);
  contents.on('did-navigate', onCommit);
  contents.on('render-process-gone', retire);
  contents.on('destroyed', retire);

  return {
    sessionFor(document: string): PageSession | null {
      if (current?.document === document) return current.session;
      if (retired.includes(document)) return null;
      retire();
      const session = bridge.attach({
        send: (name, payload) => {
          if (!contents.isDestroyed()) contents.send(BRIDGE[name].channel, payload, document);
        },
      });
      current = { document, session };
      return session;
    },
    close() {
      contents.off('did-start-navigation', onStart);
      contents.off('did-navigate', onCommit);
      contents.off('render-process-gone', retire);
      contents.off('destroyed', retire);
      retire();
    },
  };
}

function isTrustedSender(event: IpcMainInvokeEvent, contents: WebContents): boolean {
  const frame = event.senderFrame;
  return (
    frame !== null &&
    !contents.isDestroyed() &&
    event.sender.id === contents.id &&
    frame.frameTreeNodeId === contents.mainFrame.frameTreeNodeId &&
    isAppUrl(frame.url)
  );
}

function failure(error: BridgeError): BridgeResult<never> {
  return { ok: false, error };
}
