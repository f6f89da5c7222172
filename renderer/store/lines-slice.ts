import type { StateCreator } from 'zustand/vanilla';
import type { BackendView, LinesView } from '../../shared/bridge/contract.ts';
import type { CommandKind } from '../../shared/model/command.ts';
import type { Call, Line } from '../../shared/model/line-table.ts';
import type { App } from './app-store.ts';

/** The line table and what the active backend can do, exactly as the core last sent them. */
export type LinesState = Pick<LinesView, 'table' | 'capabilities'>;

export interface LinesSlice {
  readonly linesView: LinesState;
  /** The active backend and how it is; null until the core has said. */
  readonly backend: BackendView | null;
  readonly applyLines: (view: LinesView) => void;
}

const EMPTY: LinesState = { table: { lines: [], selected: 1 }, capabilities: [] };

/** Flat records (a call, a backend's status) with the same fields holding the same values. */
const sameFields = <T extends object>(a: T | null, b: T | null): boolean =>
  a === b ||
  (a !== null &&
    b !== null &&
    Object.keys(a).length === Object.keys(b).length &&
    (Object.keys(a) as (keyof T)[]).every((key) => a[key] === b[key]));

const flatBackend = ({ type, status }: BackendView) => ({ type, ...status });

/**
 * Every `lines` event carries the whole table, freshly parsed. Keep the objects of lines
 * that did not change, so that only the line that did re-renders when a call arrives; the
 * same goes for the backend, which the header shows.
 */
export function linesApplied(state: App, view: LinesView): Pick<App, 'linesView' | 'backend'> {
  const previous = state.linesView;
  const lines = view.table.lines.map((entry: Line, index) => {
    const before = previous.table.lines[index];
    return before?.line === entry.line && sameFields<Call>(before.call, entry.call)
      ? before
      : entry;
  });
  const capabilities =
    previous.capabilities.length === view.capabilities.length &&
    previous.capabilities.every((kind, index) => kind === view.capabilities[index])
      ? previous.capabilities
      : view.capabilities;
  const backend =
    state.backend !== null && sameFields(flatBackend(state.backend), flatBackend(view.backend))
      ? state.backend
      : view.backend;
  return { linesView: { table: { ...view.table, lines }, capabilities }, backend };
}

export const createLinesSlice: StateCreator<App, [], [], LinesSlice> = (set) => ({
  linesView: EMPTY,
  backend: null,
  applyLines: (view) => {
    set((state) => linesApplied(state, view));
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
export const selectBackend = (state: App): BackendView | null => state.backend;
