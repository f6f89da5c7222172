import type { BridgeResult, DoorStatus, SettingsView } from '../../../shared/bridge/contract.ts';
import type { DoorId, DoorSettings } from '../../../shared/doors/registry.ts';
import type { LogWriter } from '../integration-log.ts';
import type { FieldError, Settings } from '../../../shared/model/settings.ts';
import type { Result } from '../../../shared/result.ts';
import type { Asked, Question } from '../prompts.ts';
import type { Switchboard } from '../switchboard.ts';
import type { OpenExternal } from '../system-open.ts';

/**
 * A door translates one integration dialect into Commands and CallEvents, or the
 * switchboard's changes back into that dialect. Each is a folder under `doors/` and one
 * line in `doors/registry.ts`; nothing else in the core names it.
 */

/** The integration log, already stamped with the door's id. */
export type DoorLog = LogWriter;

/**
 * The saved settings, and the one path that changes them: a door that changes settings
 * (a voispeed: link filling in the SIP account) goes through validation, the secret store
 * and the backend's replacement like a Save in the Comms Manager does.
 */
export interface SettingsAccess {
  current(): Settings;
  save(input: unknown): Promise<BridgeResult<SettingsView>>;
}

export interface DoorContext<Id extends DoorId> {
  readonly switchboard: Switchboard;
  readonly log: DoorLog;
  /** The door's settings section as saved. */
  readonly settings: DoorSettings[Id];
  /** A port given on `serve`'s command line for this run only (never saved). */
  readonly portOverride: number | undefined;
  /** Hands a URL to the system's handler for its scheme (Integra's URL templates). */
  readonly openExternal: OpenExternal;
  /** The profile folder (the links door keeps `local-api.json` there). */
  readonly profileDir: string;
  /** Puts a question to the person at the Comms Manager (prompts.ts); refused when too many wait. */
  readonly ask: (question: Question) => Result<Asked, string>;
  readonly settingsAccess: SettingsAccess;
  /** Call whenever `status()` would answer differently, so the header follows. */
  readonly statusChanged: () => void;
}

/**
 * A settings change the door has made ready (a new port bound) without letting go of the
 * old state. The settings service commits every door once all of them are prepared and
 * the file is saved, or rolls back the prepared ones in reverse order.
 */
export interface PreparedChange {
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

export const NO_CHANGE: PreparedChange = {
  commit: () => Promise.resolve(),
  rollback: () => Promise.resolve(),
};

export interface Door<Id extends DoorId> {
  readonly id: Id;
  /** Never rejects: a door that cannot open reports it through `status()`. */
  start(context: DoorContext<Id>): Promise<void>;
  status(): DoorStatus;
  /** Field paths in the errors are relative to the door's section ("port"). */
  prepare(
    next: DoorSettings[Id],
    previous: DoorSettings[Id],
  ): Promise<Result<PreparedChange, FieldError[]>>;
  close(): Promise<void>;
}

export interface DoorDefinition<Id extends DoorId> {
  readonly create: () => Door<Id>;
  /**
   * A `callbridge serve` flag that overrides the door's port for one run, with what the
   * usage text says `serve` prints once the door is ready.
   */
  readonly serveFlag?: { readonly name: string; readonly prints: string };
}
