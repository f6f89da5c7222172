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

export const createLinesSlice: StateCreator<App, [], [], LinesSlice> = (set) => ({
  linesView: EMPTY,
  applyLines: (view) => {
    set({ linesView: view });
  },
});

/** A line whose inbound call is alerting. */
export interface RingingCall extends Line {
  readonly call: Call & { readonly phase: 'ringing' };
}

const isRinging = (entry: Line): entry is RingingCall =>
  entry.call?.phase === 'ringing' && entry.call.direction === 'inbound';

export const selectLineCount = (state: App): number => state.linesView.table.lines.length;
export const selectSelectedLine = (state: App): number => state.linesView.table.selected;
export const selectLine =
  (line: number) =>
  (state: App): Line | undefined =>
    state.linesView.table.lines[line - 1];
export const selectCan =
  (kind: CommandKind) =>
  (state: App): boolean =>
    state.linesView.capabilities.includes(kind);
/** Use with `useShallow`: a new array each time, but of the very line objects in the store. */
export const selectRingingCalls = (state: App): RingingCall[] =>
  state.linesView.table.lines.filter(isRinging);
