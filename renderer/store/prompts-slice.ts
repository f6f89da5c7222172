import type { StateCreator } from 'zustand/vanilla';
import type { Prompt } from '../../shared/model/prompt.ts';
import type { App } from './app-store.ts';

/** Questions the core is waiting for the person to answer, oldest first, as it last said. */
export interface PromptsSlice {
  readonly prompts: readonly Prompt[];
  readonly applyPrompts: (prompts: readonly Prompt[]) => void;
}

export const createPromptsSlice: StateCreator<App, [], [], PromptsSlice> = (set) => ({
  prompts: [],
  applyPrompts: (prompts) => {
    set({ prompts });
  },
});

/** The oldest question: the one shown, until it is answered. */
export const selectFirstPrompt = (state: App): Prompt | null => state.prompts[0] ?? null;
export const selectPromptCount = (state: App): number => state.prompts.length;
