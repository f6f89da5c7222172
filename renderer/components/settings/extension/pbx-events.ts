import type { ExtensionModel } from './extension-model.ts';

/** PBX-pushed events: the PBX posts to the listen port, so the type has no fields of its own. */
export const pbxEventsModel: ExtensionModel<'pbx-events', never> = {
  fields: {},
  toValues: () => ({}),
  initialValues: () => ({}),
  toRequest: () => ({}),
};
