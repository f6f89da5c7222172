import { z } from 'zod';
import { CommandSchema, type CommandKind } from '../model/command.ts';
import type { HistoryRecord, LineTable } from '../model/line-table.ts';
import type { LogEntry } from '../model/integration-log.ts';
import type { FieldError, Settings } from '../model/settings.ts';
import type { Result } from '../result.ts';

/**
 * The one contract between the UI and the core, declared once. Electron's preload builds
 * its façade from this map and main registers handlers through it; the browser target's
 * WebSocket carries the very same channels. Requests are validated with `request` on the
 * receiving side; `response` and `payload` exist for their types.
 */

export interface BridgeError {
  /** Machine-readable: 'invalid-request', 'not-capable', 'refused', 'unknown-channel', ... */
  readonly code: string;
  readonly message: string;
  readonly fields?: readonly FieldError[];
}

export type BridgeResult<T> = Result<T, BridgeError>;

/** The listen port as it is, which can differ from the setting (port taken, CLI override). */
export interface ListenPortStatus {
  readonly port: number | null;
  readonly address: string;
  readonly error: string | null;
}

export interface LinesView {
  readonly table: LineTable;
  /** Commands the active backend can carry out; the UI offers only these. */
  readonly capabilities: readonly CommandKind[];
}

export interface SettingsView {
  readonly settings: Settings;
  readonly listenPort: ListenPortStatus;
}

export interface CoreSnapshot extends LinesView, SettingsView {
  /** Newest first. */
  readonly history: readonly HistoryRecord[];
  /** Newest first. */
  readonly log: readonly LogEntry[];
}

const invoke = <Request extends z.ZodType, Response>(
  channel: `callbridge:${string}`,
  request: Request,
) => ({
  kind: 'invoke' as const,
  channel,
  request,
  response: z.custom<Response>(),
});

const event = <Payload>(channel: `callbridge:${string}`) => ({
  kind: 'event' as const,
  channel,
  payload: z.custom<Payload>(),
});

export const BRIDGE = {
  snapshot: invoke<z.ZodNull, CoreSnapshot>('callbridge:snapshot', z.null()),
  command: invoke<typeof CommandSchema, null>('callbridge:command', CommandSchema),
  /** Validated against SettingsSchema by the core so that errors come back per field. */
  saveSettings: invoke<z.ZodUnknown, SettingsView>('callbridge:save-settings', z.unknown()),
  lines: event<LinesView>('callbridge:lines'),
  historyAdded: event<HistoryRecord>('callbridge:history-added'),
  logEntry: event<LogEntry>('callbridge:log-entry'),
  settings: event<SettingsView>('callbridge:settings'),
} as const;

type Bridge = typeof BRIDGE;
export type InvokeName = {
  [K in keyof Bridge]: Bridge[K]['kind'] extends 'invoke' ? K : never;
}[keyof Bridge];
export type EventName = {
  [K in keyof Bridge]: Bridge[K]['kind'] extends 'event' ? K : never;
}[keyof Bridge];

type InvokeEntry<K extends InvokeName> = Extract<Bridge[K], { kind: 'invoke' }>;
type EventEntry<K extends EventName> = Extract<Bridge[K], { kind: 'event' }>;

export type InvokeRequest<K extends InvokeName> = z.input<InvokeEntry<K>['request']>;
export type InvokeResponse<K extends InvokeName> = z.output<InvokeEntry<K>['response']>;
export type EventPayload<K extends EventName> = z.output<EventEntry<K>['payload']>;

export const INVOKE_NAMES = (Object.keys(BRIDGE) as (keyof Bridge)[]).filter(
  (name): name is InvokeName => BRIDGE[name].kind === 'invoke',
);
export const EVENT_NAMES = (Object.keys(BRIDGE) as (keyof Bridge)[]).filter(
  (name): name is EventName => BRIDGE[name].kind === 'event',
);

/** For transports that receive names from the other side: the page, a socket. */
export const isInvokeName = (name: unknown): name is InvokeName =>
  typeof name === 'string' && (INVOKE_NAMES as readonly string[]).includes(name);
export const isEventName = (name: unknown): name is EventName =>
  typeof name === 'string' && (EVENT_NAMES as readonly string[]).includes(name);

/** What the renderer sees, whether it is carried by Electron IPC or by the WebSocket. */
export interface BridgeClient {
  invoke<K extends InvokeName>(
    name: K,
    request: InvokeRequest<K>,
  ): Promise<BridgeResult<InvokeResponse<K>>>;
  on<K extends EventName>(name: K, listener: (payload: EventPayload<K>) => void): () => void;
}

/** What the core offers; both transports route into one of these. */
export interface BridgeHost {
  invoke<K extends InvokeName>(name: K, request: unknown): Promise<BridgeResult<InvokeResponse<K>>>;
  on<K extends EventName>(name: K, listener: (payload: EventPayload<K>) => void): () => void;
}
