import type { ExtensionType } from '../../../shared/model/settings.ts';
import type { BackendFactory } from './backend.ts';
import { createPbxEventsBackend } from './pbx-events.ts';

/** One factory per extension type offered in Settings. */
export const BACKENDS: Readonly<Record<ExtensionType, BackendFactory>> = {
  'pbx-events': createPbxEventsBackend,
};
