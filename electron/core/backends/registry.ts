import type { Extension, ExtensionType } from '../../../shared/model/settings.ts';
import type { IntegrationLog } from '../integration-log.ts';
import type { Backend, BackendContext, BackendFactory } from './backend.ts';
import { createPbxEventsBackend } from './pbx-events.ts';
import { createSipBackend } from './sip.ts';
import { createTelBackend } from './tel.ts';

/** One factory per extension type offered in Settings. Adding one: its file, one line here. */
export const BACKENDS: { readonly [T in ExtensionType]: BackendFactory<T> } = {
  'pbx-events': createPbxEventsBackend,
  sip: createSipBackend,
  tel: createTelBackend,
};

/** What the core gives every backend besides its own settings and log. */
export type BackendParts = Omit<BackendContext<ExtensionType>, 'settings' | 'log'> & {
  readonly log: IntegrationLog;
};

/** The backend for the extension settings, each type's factory given its own fields. */
export function createBackend(extension: Extension, parts: BackendParts): Backend {
  // The compiler cannot pair a key with its own factory across a union; the registry type
  // above does, so widening here is safe.
  const factory = BACKENDS[extension.type] as BackendFactory;
  return factory({ ...parts, log: parts.log.forSource(extension.type), settings: extension });
}
