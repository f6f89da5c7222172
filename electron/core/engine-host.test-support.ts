import type { BridgeHost } from '../../shared/bridge/contract.ts';
import { err } from '../../shared/result.ts';
import { createBridgeHost } from './bridge-host.ts';
import type { EngineHost } from './engine-host.ts';
import { Signal } from './signal.ts';

/** The real bridge host in front of an EngineHost; the other channels are not under test. */
export function bridgeFor(engine: EngineHost): BridgeHost {
  const unused = () => Promise.resolve(err({ code: 'not-under-test', message: 'not under test' }));
  return createBridgeHost(
    {
      snapshot: unused,
      command: unused,
      saveSettings: unused,
      answerPrompt: unused,
      ...engine.handlers,
    },
    {
      lines: new Signal(),
      historyAdded: new Signal(),
      logEntry: new Signal(),
      settings: new Signal(),
      doors: new Signal(),
      prompts: new Signal(),
    },
  );
}
