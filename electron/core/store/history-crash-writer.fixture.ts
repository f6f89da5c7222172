import fs from 'node:fs';
import { HistoryStore } from './history-store.ts';

/**
 * Child process for the crash test in history-store.test.ts: adds calls one by one and
 * prints `ack <id>` right after each `add` returns. The parent SIGKILLs it mid-stream and
 * checks that every acknowledged call is in the file.
 *
 * Usage: node history-crash-writer.fixture.ts <profileDir> <maxRows>
 */
const [profileDir, maxRowsArg] = process.argv.slice(2);
if (profileDir === undefined) {
  fs.writeSync(2, 'usage: history-crash-writer.fixture.ts <profileDir> <maxRows>\n');
  process.exit(2);
}
const opened = HistoryStore.open(profileDir);
if (!opened.ok) {
  fs.writeSync(2, `${opened.error}\n`);
  process.exit(1);
}
const maxRows = Number(maxRowsArg ?? '10000');
const start = Date.now();
for (let index = 0; index < maxRows; index++) {
  const id = `crash-${index}`;
  opened.value.add({
    id,
    line: 1 + (index % 4),
    direction: index % 2 === 0 ? 'inbound' : 'outbound',
    number: `+4930${String(index).padStart(6, '0')}`,
    callerId: `Caller ${index}`,
    startedAt: start + index,
    answeredAt: null,
    endedAt: start + index + 1,
    outcome: index % 2 === 0 ? 'missed' : 'unanswered',
    reason: null,
  });
  // Synchronous write, so the acknowledgement leaves the process before the next row.
  fs.writeSync(1, `ack ${id}\n`);
}
opened.value.close();
