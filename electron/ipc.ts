import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { z } from 'zod';
import {
  BRIDGE,
  EVENT_NAMES,
  INVOKE_NAMES,
  type BridgeError,
  type BridgeResult,
  type InvokeName,
} from '../shared/bridge/contract.ts';
import { isAppUrl } from './app-origin.ts';
import type { Core } from './core/core-api.ts';

/**
 * The bridge contract over Electron IPC. Every invoke channel of `BRIDGE` goes through the
 * one handler below, which answers only the main frame of our window while it shows our
 * origin (VS Code's validatedIpcMain), validates the request against the channel's
 * schema, and answers a result, never a thrown error.
 *
 * Returns a function that unregisters everything.
 */
export function registerBridgeIpc(core: Core, window: BrowserWindow): () => void {
  const contents = window.webContents;

  const answer = async (
    name: InvokeName,
    event: IpcMainInvokeEvent,
    request: unknown,
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
    try {
      return await core.bridge.invoke(name, parsed.data);
    } catch (error) {
      console.error(`The core failed on ${channel}:`, error);
      return failure({ code: 'internal', message: `the core failed on ${channel}` });
    }
  };

  for (const name of INVOKE_NAMES) {
    ipcMain.handle(BRIDGE[name].channel, (event, request: unknown) => answer(name, event, request));
  }
  const unsubscribes = EVENT_NAMES.map((name) =>
    core.bridge.on(name, (payload) => {
      if (!contents.isDestroyed()) contents.send(BRIDGE[name].channel, payload);
    }),
  );

  return () => {
    for (const name of INVOKE_NAMES) ipcMain.removeHandler(BRIDGE[name].channel);
    for (const unsubscribe of unsubscribes) unsubscribe();
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
