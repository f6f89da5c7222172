import fs from 'node:fs';
import type { Call, HistoryRecord } from '../../../shared/model/line-table.ts';
import { HistoryStore } from './history-store.ts';

/**
 * Child process for the interrupted-calls crash test in history-store.test.ts. It plays
 * `activeCallScenario` against a fresh store the way the switchboard records transitions
 * (each one `atomically`: the calls that ended, then the call now on the line), prints
 * `ack <index>` once each transition has returned, then `ready`, and waits to be killed.
 * The parent SIGKILLs it with calls still on their lines.
 *
 * Usage: node history-active-crash.fixture.ts <profileDir> <baseEpochMs>
 */

export interface Transition {
  readonly ended: readonly HistoryRecord[];
  readonly put: { readonly line: number; readonly call: Call; readonly seenAt: number } | null;
}

/** Calls ringing, dialing, connected and held, one ended normally, one replaced on its line. */
export function activeCallScenario(base: number): Transition[] {
  const inbound = { direction: 'inbound', callerId: 'Erika', ref: null } as const;
  const put = (line: number, call: Call, seenAt: number): Transition => ({
    ended: [],
    put: { line, call, seenAt },
  });
  const a = { ...inbound, id: 'A', number: '0201', startedAt: base + 10 };
  const b = {
    direction: 'outbound' as const,
    callerId: '',
    ref: null,
    id: 'B',
    number: '0202',
    startedAt: base + 20,
  };
  const c = { ...inbound, id: 'C', number: '0203', startedAt: base + 30 };
  const d = { ...inbound, id: 'D', number: '0204', startedAt: base + 50 };
  const e = { ...inbound, id: 'E', number: '0205', startedAt: base + 80 };
  const f = { ...inbound, id: 'F', number: '0206', startedAt: base + 110 };
  const g = { ...inbound, id: 'G', number: '0207', startedAt: base + 120 };
  const ended = (
    call: typeof e,
    line: number,
    endedAt: number,
    answeredAt: number | null,
  ): HistoryRecord => ({
    ...call,
    line,
    answeredAt,
    endedAt,
    outcome: answeredAt === null ? 'missed' : 'answered',
    reason: null,
  });
  return [
    put(1, { ...a, phase: 'ringing' }, base + 10),
    put(2, { ...b, phase: 'dialing' }, base + 20),
    put(3, { ...c, phase: 'ringing' }, base + 30),
    put(3, { ...c, phase: 'established', answeredAt: base + 40 }, base + 40),
    put(4, { ...d, phase: 'ringing' }, base + 50),
    put(4, { ...d, phase: 'established', answeredAt: base + 60 }, base + 60),
    put(4, { ...d, phase: 'held', answeredAt: base + 60, heldAt: base + 70 }, base + 70),
    put(5, { ...e, phase: 'ringing' }, base + 80),
    put(5, { ...e, phase: 'established', answeredAt: base + 90 }, base + 90),
    { ended: [ended(e, 5, base + 100, base + 90)], put: null },
    put(6, { ...f, phase: 'ringing' }, base + 110),
    {
      ended: [ended(f, 6, base + 120, null)],
      put: { line: 6, call: { ...g, phase: 'ringing' }, seenAt: base + 120 },
    },
  ];
}

function main(profileDir: string, base: number): void {
  const opened = HistoryStore.open(profileDir);
  if (!opened.ok) {
    fs.writeSync(2, `${opened.error}\n`);
    process.exit(1);
  }
  const store = opened.value;
  store.recoverInterrupted(Date.now());
  activeCallScenario(base).forEach((transition, index) => {
    store.atomically(() => {
      for (const record of transition.ended) store.endCall(record);
      if (transition.put)
        store.putActive(transition.put.line, transition.put.call, transition.put.seenAt);
    });
    // Synchronous write, so the acknowledgement leaves the process before the next step.
    fs.writeSync(1, `ack ${index}\n`);
  });
  fs.writeSync(1, 'ready\n');
  // Bounded: a parent that never kills us does not leave us running.
  setTimeout(() => process.exit(3), 30_000);
}

if (import.meta.main) {
  const [profileDir, baseArg] = process.argv.slice(2);
  if (profileDir === undefined || baseArg === undefined) {
    fs.writeSync(2, 'usage: history-active-crash.fixture.ts <profileDir> <baseEpochMs>\n');
    process.exit(2);
  }
  main(profileDir, Number(baseArg));
}
