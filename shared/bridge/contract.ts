import { z } from 'zod';
import { CommandSchema, type CommandKind } from '../model/command.ts';
import type { HistoryRecord, LineTable } from '../model/line-table.ts';
import type { LogEntry } from '../model/integration-log.ts';
import { PromptAnswerSchema, type Prompt, type PromptReply } from '../model/prompt.ts';
import type { FieldError, Settings, ExtensionType } from '../model/settings.ts';
import type { DoorId } from '../doors/registry.ts';
import type { Result } from '../result.ts';
import {
  EngineReplySchema,
  EngineReportSchema,
  type EngineCall,
  type EngineRole,
} from './engine.ts';

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

/**
 * A door as it is, which can differ from its settings (port taken, CLI override). `summary`
 * is what the header and Settings show ("listening on 127.0.0.1:5555"); `readyLine` is what
 * `callbridge serve` prints once the door is ready ("Listen port: 5555"), if anything.
 */
export type DoorStatus =
  | { readonly state: 'off'; readonly summary: string }
  | {
      readonly state: 'ready';
      readonly summary: string;
      readonly readyLine: string | null;
      /** Where it listens, for doors that listen; tests and scripts read the port here. */
      readonly endpoint: { readonly address: string; readonly port: number } | null;
    }
  | { readonly state: 'failed'; readonly summary: string; readonly error: string };

/**
 * The active backend as it is now: ready, still connecting (registering), or unable to act
 * with a reason a person can act on. The header shows it.
 */
export type BackendState =
  | { readonly state: 'ready'; readonly summary: string }
  | { readonly state: 'connecting'; readonly summary: string }
  | { readonly state: 'unavailable'; readonly summary: string; readonly reason: string };

export interface BackendView {
  readonly type: ExtensionType;
  readonly status: BackendState;
}

export interface LinesView {
  readonly table: LineTable;
  /** Commands the active backend can carry out now; the UI offers only these. */
  readonly capabilities: readonly CommandKind[];
  readonly backend: BackendView;
}

export interface SettingsView {
  readonly settings: Settings;
  /**
   * Why the saved settings could not be used (a damaged settings.json), so the app runs on
   * defaults until the user saves; null when they were fine.
   */
  readonly problem: string | null;
  /** Which write-only secrets are set ("sip.password"): the page learns that, never them. */
  readonly secretsSet: readonly string[];
  /**
   * The origins the page's Content-Security-Policy admits besides its own (the SIP server's
   * WebSocket). A page served with other ones reloads to get the policy that fits.
   */
  readonly connectSources: readonly string[];
}

/** Every door's status, keyed by door. */
export type DoorsView = Readonly<Record<DoorId, DoorStatus>>;

export interface CoreSnapshot extends LinesView, SettingsView {
  readonly doors: DoorsView;
  /** Newest first. */
  readonly history: readonly HistoryRecord[];
  /** Newest first. */
  readonly log: readonly LogEntry[];
  /** Questions waiting for the person's answer, oldest first. */
  readonly prompts: readonly Prompt[];
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

/** An event the core sends to one page only (the page that hosts the SIP engine). */
const pageEvent = <Payload>(channel: `callbridge:${string}`) => ({
  kind: 'page-event' as const,
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
  doors: event<DoorsView>('callbridge:doors'),
  /** Every pending question, oldest first, whenever one is asked, answered or expires. */
  prompts: event<readonly Prompt[]>('callbridge:prompts'),
  /** The first answer to a question counts; a later one is refused. */
  answerPrompt: invoke<typeof PromptAnswerSchema, PromptReply>(
    'callbridge:answer-prompt',
    PromptAnswerSchema,
  ),
  /** A page that can run the SIP engine offers to; the answer says whether it hosts it now. */
  engineOffer: invoke<z.ZodNull, EngineRole>('callbridge:engine-offer', z.null()),
  /** The hosting page's answer to an `engine` request. */
  engineReply: invoke<typeof EngineReplySchema, null>('callbridge:engine-reply', EngineReplySchema),
  /** What the hosting page's engine saw: registration, call events, the realm, log lines. */
  engineReport: invoke<typeof EngineReportSchema, null>(
    'callbridge:engine-report',
    EngineReportSchema,
  ),
  engine: pageEvent<EngineCall>('callbridge:engine'),
  engineRole: pageEvent<EngineRole>('callbridge:engine-role'),
} as const;

type Bridge = typeof BRIDGE;
export type InvokeName = {
  [K in keyof Bridge]: Bridge[K]['kind'] extends 'invoke' ? K : never;
}[keyof Bridge];
/** Events a page receives, whether broadcast or sent to it alone. */
export type EventName = {
  [K in keyof Bridge]: Bridge[K]['kind'] extends 'event' | 'page-event' ? K : never;
}[keyof Bridge];
export type BroadcastName = {
  [K in keyof Bridge]: Bridge[K]['kind'] extends 'event' ? K : never;
}[keyof Bridge];
export type PageEventName = {
  [K in keyof Bridge]: Bridge[K]['kind'] extends 'page-event' ? K : never;
}[keyof Bridge];

type InvokeEntry<K extends InvokeName> = Extract<Bridge[K], { kind: 'invoke' }>;
type EventEntry<K extends EventName> = Extract<Bridge[K], { kind: 'event' | 'page-event' }>;

export type InvokeRequest<K extends InvokeName> = z.input<InvokeEntry<K>['request']>;
export type InvokeResponse<K extends InvokeName> = z.output<InvokeEntry<K>['response']>;
export type EventPayload<K extends EventName> = z.output<EventEntry<K>['payload']>;

export const INVOKE_NAMES = (Object.keys(BRIDGE) as (keyof Bridge)[]).filter(
  (name): name is InvokeName => BRIDGE[name].kind === 'invoke',
);
export const EVENT_NAMES = (Object.keys(BRIDGE) as (keyof Bridge)[]).filter(
  (name): name is EventName => BRIDGE[name].kind === 'event' || BRIDGE[name].kind === 'page-event',
);
export const BROADCAST_NAMES = EVENT_NAMES.filter(
  (name): name is BroadcastName => BRIDGE[name].kind === 'event',
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

/** How the core reaches one connected page: its transport's send, for page events. */
export interface PageSink {
  send<K extends PageEventName>(name: K, payload: EventPayload<K>): void;
}

/**
 * One connected page as the core sees it. Invokes through a session are known to come
 * from that page (the engine channels need this); `detach` when the page goes away.
 */
export interface PageSession {
  invoke<K extends InvokeName>(name: K, request: unknown): Promise<BridgeResult<InvokeResponse<K>>>;
  detach(): void;
}

/** What the core offers; both transports route into one of these. */
export interface BridgeHost {
  /** For callers that are not a page (tests, scripts): the engine channels refuse these. */
  invoke<K extends InvokeName>(name: K, request: unknown): Promise<BridgeResult<InvokeResponse<K>>>;
  on<K extends BroadcastName>(name: K, listener: (payload: EventPayload<K>) => void): () => void;
  /** A page connected (a WebSocket, Electron's window). */
  attach(page: PageSink): PageSession;
}
