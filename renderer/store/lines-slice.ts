import type { StateCreator } from 'zustand/vanilla';
import type { LinesView } from '../../shared/bridge/contract.ts';
import type { CommandKind } from '../../shared/model/command.ts';
import type { Call, Line } from '../../shared/model/line-table.ts';
import type { App } from './app-store.ts';

/** The line table and what the active backend can do, exactly as the core last sent them. */
export interface LinesSlice {
  readonly linesView: LinesView;
  applyLines(view: LinesView): void;
}

const EMPTY: LinesView = { table: { lines: [], selected: 1 }, capabilities: [] };

const sameCall = (a: Call | null, b: Call | null): boolean =>
  a === b ||
  (a !== null &&
    b !== null &&
    (Object.keys(a) as (keyof Call)[]).length === Object.keys(b).length &&
    (Object.keys(a) as (keyof Call)[]).every((key) => a[key] === b[key]));

/**
 * Every `lines` event carries the whole table, freshly parsed. Keep the objects of lines
 * that did not change, so that only the line that did re-renders when a call arrives.
 */
function reuseUnchanged(previous: LinesView, next: LinesView): LinesView {
  const lines = next.table.lines.map((entry, index) => {
    const before = previous.table.lines[index];
    return before?.line === entry.line && sameCall(before.call, entry.call) ? before : entry;
  });
  const capabilities =
    previous.capabilities.length === next.capabilities.length &&
    previous.capabilities.every((kind, index) => kind === next.capabilities[index])
      ? previous.capabilities
      : next.capabilities;
  return { table: { ...next.table, lines }, capabilities };
}

export const createLinesSlice: StateCreator<App, [], [], LinesSlice> = (set, get) => ({
  linesView: EMPTY,
  applyLines: (view) => {
    set({ linesView: reuseUnchanged(get().linesView, view) });
  },
});

/** A line whose inbound call is alerting. */
export interface RingingCall extends Line {
  readonly call: Call & { readonly phase: 'ringing' };
}

const isRinging = (entry: Line): entry is RingingCall =>
  entry.call?.phase === 'ringing' && entry.call.direction === 'inbound';

export const selectSelectedLine = (state: App): number => state.linesView.table.selected;
export const selectCan =
  (kind: CommandKind) =>
  (state: App): boolean =>
    state.linesView.capabilities.includes(kind);
/** Use with `useShallow`: a new array each time, but of the very line objects in the store. */
export const selectRingingCalls = (state: App): RingingCall[] =>
  state.linesView.table.lines.filter(isRinging);
