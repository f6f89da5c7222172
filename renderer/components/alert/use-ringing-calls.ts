import { useShallow } from 'zustand/shallow';
import { useApp } from '../../store/app-store.ts';
import { selectRingingCalls, type RingingCall } from '../../store/lines-slice.ts';

/** Inbound calls alerting now, lowest line first. Re-renders only when that set changes. */
export function useRingingCalls(): RingingCall[] {
  return useApp(useShallow(selectRingingCalls));
}
