import type * as JsSIP from 'jssip';
import type { EngineAccount } from '../../shared/bridge/engine.ts';
import type { Command } from '../../shared/model/command.ts';
import type { LineTable } from '../../shared/model/line-table.ts';
import { err, ok } from '../../shared/result.ts';
import type { AudioSettings } from '../../shared/model/settings.ts';
import { AudioDevices } from './audio-devices.ts';
import { CallBook, type Outcome } from './call-book.ts';
import { runCommand } from './call-commands.ts';
import { RegistrationWatch, type Report } from './registration.ts';
import { Ringer } from './ringer.ts';
import { logReport, shownText } from './shown-text.ts';
import { createUserAgent, needsNewUserAgent, updateCredentials } from './user-agent.ts';

/**
 * The SIP engine: one JsSIP user agent for the account the core gave, its registration and
 * its calls. A plain object that lives as long as this page hosts the engine; it is never
 * React state, and components never see it. Everything it learns goes to `report`.
 */

export interface EngineDeps {
  readonly report: Report;
  /** The core's line table as the store last received it. */
  readonly table: () => LineTable;
  /** Settings' audio devices as the store last received them. */
  readonly audio: () => AudioSettings;
}

interface Running {
  readonly ua: JsSIP.UA;
  account: EngineAccount;
  readonly registration: RegistrationWatch;
}

export class SipEngine {
  readonly #report: Report;
  readonly #book: CallBook;
  readonly #ringer: Ringer;
  readonly #devices: AudioDevices;
  #running: Running | null = null;

  constructor({ report, table, audio }: EngineDeps) {
    this.#report = report;
    const devices = new AudioDevices(audio);
    this.#devices = devices;
    this.#ringer = new Ringer(
      () => devices.ringer(),
      (error) => {
        report(logReport('in', 'the ring tone could not be played', error));
      },
    );
    this.#book = new CallBook({ report, table, ringer: this.#ringer, devices });
  }

  /**
   * Registers with `account`. A new HA1 or display name is taken by the running UA, so
   * calls go on; a new server, URI, expiry or proxy needs a new UA, which ends them.
   */
  start(account: EngineAccount): Outcome {
    const running = this.#running;
    if (running !== null && !needsNewUserAgent(running.account, account)) {
      updateCredentials(running.ua, account);
      running.account = account;
      running.registration.update(account);
      return ok(null);
    }
    this.stop();
    let ua: JsSIP.UA;
    try {
      ua = createUserAgent(account, (startLine) => {
        this.#report(
          logReport(
            'in',
            `${startLine}: could not be read and was dropped`,
            'JsSIP could not parse the message',
          ),
        );
      });
    } catch (error) {
      const reason = shownText(
        `the account settings were refused: ${error instanceof Error ? error.message : String(error)}`,
        256,
      );
      this.#report({ kind: 'registration', registration: { state: 'failed', reason } });
      return err({ code: 'backend-unavailable', message: reason });
    }
    ua.on('newRTCSession', this.#book.onSession);
    const registration = new RegistrationWatch(ua, account, this.#report);
    this.#running = { ua, account, registration };
    registration.resync();
    ua.start();
    return ok(null);
  }

  /** Unregisters and ends every call; the engine can be started again afterwards. */
  stop(): void {
    const running = this.#running;
    if (running === null) return;
    this.#running = null;
    running.registration.close();
    running.ua.stop();
    this.#book.closeAll();
  }

  command(command: Command): Outcome {
    const running = this.#running;
    if (running === null) {
      return err({ code: 'backend-unavailable', message: 'the SIP engine has not been started' });
    }
    const { ua, account, registration } = running;
    const state = registration.state;
    const unavailable = ua.isConnected()
      ? null
      : state.state === 'failed'
        ? `not connected to the PBX: ${state.reason}`
        : 'not connected to the PBX yet';
    return runCommand({ ua, account, book: this.#book, unavailable }, command);
  }

  /** Registration and every call again, for a core that has just (re)connected. */
  resync(): void {
    this.#running?.registration.resync();
    this.#book.resync();
  }

  dispose(): void {
    this.stop();
    this.#ringer.dispose();
    this.#devices.dispose();
  }
}
