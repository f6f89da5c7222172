import type { DoorId } from '../../../shared/doors/registry.ts';
import { defaultSettings } from '../../../shared/model/settings.ts';
import { err } from '../../../shared/result.ts';
import { tempDir } from '../core.test-support.ts';
import type { DoorContext } from './door.ts';

export type DoorParts = Pick<DoorContext<DoorId>, 'profileDir' | 'ask' | 'settingsAccess'>;

/**
 * The parts of a DoorContext that a door under test may not use, unless the test gives its
 * own: a profile folder of its own, questions refused, settings that cannot be saved.
 */
export function doorParts(given: Partial<DoorParts> = {}): DoorParts {
  return {
    profileDir: given.profileDir ?? tempDir('callbridge-door-'),
    ask: given.ask ?? (() => err('this test asks nothing')),
    settingsAccess: given.settingsAccess ?? {
      current: defaultSettings,
      save: () =>
        Promise.resolve(err({ code: 'not-under-test', message: 'this test saves nothing' })),
    },
  };
}
