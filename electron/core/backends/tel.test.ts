import { after, afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LogEntry } from '../../../shared/model/integration-log.ts';
import { ok } from '../../../shared/result.ts';
import { EngineHost } from '../engine-host.ts';
import { IntegrationLog } from '../integration-log.ts';
import { openFileSecretStore, PLAIN_CODEC } from '../store/secret-store.ts';
import { SETTINGS_FILE, SettingsStore } from '../store/settings-store.ts';
import { Switchboard } from '../switchboard.ts';
import { systemOpener, type OpenExternal } from '../system-open.ts';
import { xdgProfile } from '../xdg-profile.test-support.ts';
import { tempDir } from '../core.test-support.ts';
import { opensNothing } from './backend.test-support.ts';
import { createBackend } from './registry.ts';
import { queryTelHandler } from './tel-handler.ts';
import { CAN_ONLY_DIAL, NO_HANDLER, selfHandler, systemTel, telBackend } from './tel.ts';

/** A real secret store in a folder of its own; TEL keeps nothing in it. */
const secrets = await openFileSecretStore(tempDir('callbridge-tel-secrets-'), PLAIN_CODEC);

/** What the core gives a backend besides its settings and log. */
const parts = (openExternal: OpenExternal) => ({
  report: () => ok(null),
  secrets,
  engine: new EngineHost(),
  openExternal,
});

/**
 * The TEL extension type behind a real switchboard, asking a real xdg-mime and opening with
 * a real xdg-open, in a desktop of the test's own with a handler that records what it got.
 */
describe('TEL extension type', () => {
  const profile = xdgProfile();
  const system = systemTel(profile.env, 'linux');
  const log = new IntegrationLog();
  const entries: LogEntry[] = [];
  log.added.on((entry) => entries.push(entry));

  const telBoard = (
    openExternal: OpenExternal = systemOpener({ env: profile.env, platform: 'linux' }),
  ) => {
    const board = new Switchboard({
      lines: 2,
      journal: () => ok(null),
      backend: (report) =>
        telBackend(system)({
          ...parts(openExternal),
          report,
          settings: { type: 'tel' },
          log: log.forSource('tel'),
        }),
    });
    return board;
  };
  /** The status once the first answer from xdg-mime is in. */
  const settled = async (board: Switchboard) => {
    if (board.backend.status().state.state === 'connecting') {
      await new Promise<void>((resolve) => {
        const off = board.backend.statusChanged.on(() => {
          off();
          resolve();
        });
      });
    }
    return board.view();
  };

  afterEach(() => {
    profile.reset();
    entries.length = 0;
  });
  after(() => {
    profile.remove();
  });

  it("takes the app's own word that it is the tel: handler (Electron on macOS and Windows), before asking the system", async () => {
    profile.registerRecorder('zoiper.desktop');
    let self = true;
    const told = systemTel(profile.env, 'darwin', () => self);
    assert.deepEqual(await told.handler(), {
      kind: 'named',
      entry: 'Callbridge',
      isCallbridge: true,
    });
    self = false;
    assert.deepEqual(await told.handler(), { kind: 'unknown', why: null });
    const onLinux = systemTel(profile.env, 'linux', () => false);
    assert.deepEqual(await onLinux.handler(), {
      kind: 'named',
      entry: 'zoiper.desktop',
      isCallbridge: false,
    });
  });

  it('names the handler it dials through, and offers dialling (and choosing a line) only', async () => {
    profile.registerRecorder('zoiper.desktop');
    const board = telBoard();
    assert.equal(board.view().backend.status.state, 'connecting');
    const view = await settled(board);
    assert.deepEqual(view.backend, {
      type: 'tel',
      status: { state: 'ready', summary: 'Dials through zoiper.desktop' },
    });
    assert.deepEqual(view.capabilities, ['MakeCall', 'SelectLine']);
    await board.close();
  });

  it('hands tel:<number> to the handler, puts nothing on a line and logs the hand-over', async () => {
    profile.registerRecorder('zoiper.desktop');
    const board = telBoard();
    await settled(board);
    const lines = board.table;
    assert.deepEqual(
      await board.execute({ kind: 'MakeCall', number: '+44 20 7946 0018' }),
      ok(null),
    );
    assert.deepEqual(await board.execute({ kind: 'MakeCall', number: '*31#' }), ok(null));
    assert.deepEqual(profile.received(), ['tel:+442079460018', 'tel:*31%23']);
    assert.equal(board.table, lines, 'the other softphone has the call, not a line');
    assert.deepEqual(
      entries.map(({ source, direction, from, raw, reading, error, outcome }) => ({
        source,
        direction,
        from,
        raw,
        reading,
        error,
        outcome,
      })),
      [
        {
          source: 'tel',
          direction: 'out',
          from: 'zoiper.desktop',
          raw: 'tel:+442079460018',
          reading: 'MakeCall +442079460018',
          error: null,
          outcome: 'handed to zoiper.desktop',
        },
        {
          source: 'tel',
          direction: 'out',
          from: 'zoiper.desktop',
          raw: 'tel:*31%23',
          reading: 'MakeCall *31#',
          error: null,
          outcome: 'handed to zoiper.desktop',
        },
      ],
    );
    await board.close();
  });

  it('refuses to dial when Callbridge itself is the tel: handler, instead of looping', async () => {
    profile.registerRecorder('callbridge.desktop');
    const board = telBoard();
    const view = await settled(board);
    assert.deepEqual(view.backend.status, {
      state: 'unavailable',
      summary: 'Cannot dial',
      reason: selfHandler('callbridge.desktop'),
    });
    const result = await board.execute({ kind: 'MakeCall', number: '1002' });
    assert.deepEqual(result, {
      ok: false,
      error: { code: 'backend-unavailable', message: selfHandler('callbridge.desktop') },
    });
    assert.match(selfHandler('callbridge.desktop'), /Callbridge itself \(callbridge\.desktop\)/);
    assert.deepEqual(profile.received(), []);
    assert.equal(entries[0]?.outcome, 'not dialled');
    await board.close();
  });

  it('says no program is set for tel: links when xdg-mime names none', async () => {
    const board = telBoard();
    assert.equal((await settled(board)).backend.status.state, 'unavailable');
    const result = await board.execute({ kind: 'MakeCall', number: '1002' });
    assert.deepEqual(result, {
      ok: false,
      error: { code: 'backend-unavailable', message: NO_HANDLER },
    });
    assert.match(NO_HANDLER, /^no program is set to handle tel: links/);
  });

  it('asks again before each call: a handler set while it runs is used, and the status follows', async () => {
    const board = telBoard();
    assert.equal((await settled(board)).backend.status.state, 'unavailable');
    profile.registerRecorder('linphone.desktop');
    assert.deepEqual(await board.execute({ kind: 'MakeCall', number: '1002' }), ok(null));
    assert.deepEqual(profile.received(), ['tel:1002']);
    assert.deepEqual(board.view().backend.status, {
      state: 'ready',
      summary: 'Dials through linphone.desktop',
    });
  });

  it('answers every other command with "the TEL extension type can only dial", handler or not', async () => {
    for (const register of [true, false]) {
      if (register) profile.registerRecorder('zoiper.desktop');
      else profile.reset();
      const board = telBoard();
      await settled(board);
      for (const command of [
        { kind: 'Hold', line: 1 },
        { kind: 'Answer' },
        { kind: 'Transfer', target: '1003' },
        { kind: 'SendDtmf', digits: '1' },
      ] as const) {
        assert.deepEqual(await board.execute(command), {
          ok: false,
          error: { code: 'not-capable', kind: command.kind, message: CAN_ONLY_DIAL },
        });
      }
      await board.close();
    }
  });

  it('refuses what is not a telephone number, naming it, and hands nothing over', async () => {
    profile.registerRecorder('zoiper.desktop');
    const board = telBoard();
    const result = await board.execute({ kind: 'MakeCall', number: 'sip:bob@pbx.example.com' });
    assert.ok(!result.ok);
    assert.equal(result.error.code, 'not-capable');
    assert.match(
      result.error.message,
      /dials telephone numbers; "sip:bob@pbx\.example\.com" is not one/,
    );
    assert.deepEqual(profile.received(), []);
    await board.close();
  });

  it("answers with the opener's own message when it cannot hand the link over", async () => {
    profile.registerRecorder('zoiper.desktop');
    const board = telBoard(opensNothing);
    const message =
      'zoiper.desktop was not given tel:1002: this test opens nothing (asked to open tel:1002)';
    assert.deepEqual(await board.execute({ kind: 'MakeCall', number: '1002' }), {
      ok: false,
      error: { code: 'backend-unavailable', message },
    });
    assert.equal(entries[0]?.error, message);
    await board.close();
  });

  it('names the missing graphical session as the likely cause on a headless Linux', async () => {
    profile.registerRecorder('zoiper.desktop');
    const { DISPLAY: _display, ...headless } = profile.env;
    const open = systemOpener({ env: headless, platform: 'linux' });
    const backend = telBackend(systemTel(headless, 'linux'))({
      ...parts(open),
      settings: { type: 'tel' },
      log: log.forSource('tel'),
    });
    const result = await backend.execute(
      { kind: 'MakeCall', number: '1002' },
      { lines: [], selected: 1 },
    );
    assert.ok(!result.ok);
    assert.match(
      result.error.message,
      /^zoiper\.desktop was not given tel:1002: xdg-open exited with 3/,
    );
    assert.match(result.error.message, /DISPLAY and WAYLAND_DISPLAY are unset/);
    assert.deepEqual(profile.received(), []);
    await backend.close();
  });

  it('takes call state pushed to the listen port, so incoming calls still show', async () => {
    const board = telBoard();
    assert.equal(board.backend.acceptsPushedEvents, true);
    assert.ok(board.report({ kind: 'Incoming', line: 1, number: '+442079460018' }).ok);
    assert.equal(board.table.lines[0]?.call?.phase, 'ringing');
    assert.deepEqual(await board.execute({ kind: 'SelectLine', line: 2 }), ok(null));
    assert.equal(board.table.selected, 2);
    await board.close();
  });

  it('is what the registry builds for { type: "tel" }', async () => {
    const backend = createBackend({ type: 'tel' }, { ...parts(opensNothing), log });
    assert.equal(backend.type, 'tel');
    await backend.close();
  });
});

describe('queryTelHandler', () => {
  it('answers "unknown" without asking anything where xdg-mime is not the way (macOS, Windows)', async () => {
    assert.deepEqual(await queryTelHandler({ platform: 'darwin' }), { kind: 'unknown', why: null });
    assert.deepEqual(await queryTelHandler({ platform: 'win32' }), { kind: 'unknown', why: null });
  });

  it('says xdg-mime is missing when it is not on PATH', async () => {
    const dir = tempDir('callbridge-no-xdg-');
    assert.deepEqual(await queryTelHandler({ platform: 'linux', env: { PATH: dir } }), {
      kind: 'unknown',
      why: 'xdg-mime is not installed (it comes with xdg-utils)',
    });
  });

  it('marks any callbridge*.desktop as Callbridge itself', async () => {
    const profile = xdgProfile();
    try {
      profile.registerRecorder('callbridge-open.desktop');
      assert.deepEqual(await queryTelHandler({ platform: 'linux', env: profile.env }), {
        kind: 'named',
        entry: 'callbridge-open.desktop',
        isCallbridge: true,
      });
    } finally {
      profile.remove();
    }
  });
});

describe('TEL in settings files', () => {
  it('reads a saved TEL extension, and files saved before TEL existed read as they did', () => {
    const dir = tempDir('callbridge-tel-settings-');
    const file = join(dir, SETTINGS_FILE);
    const saved = { version: 2, extension: { type: 'tel' }, lines: 4, defaultCountry: '' };
    writeFileSync(file, JSON.stringify(saved));
    const store = SettingsStore.open(dir);
    assert.equal(store.problem, null);
    assert.deepEqual(store.get().extension, { type: 'tel' });
    writeFileSync(file, JSON.stringify({ ...saved, extension: { type: 'pbx-events' } }));
    assert.deepEqual(SettingsStore.open(dir).get().extension, { type: 'pbx-events' });
    writeFileSync(file, JSON.stringify({ ...saved, extension: { type: 'tel', number: '1' } }));
    assert.notEqual(SettingsStore.open(dir).problem, null, 'TEL has no fields to save');
  });
});
