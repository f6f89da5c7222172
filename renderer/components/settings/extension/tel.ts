import type { ExtensionModel } from './extension-model.ts';

/** TEL: the system's tel: handler does the dialling, so the type has no fields of its own. */
export const telModel: ExtensionModel<'tel', never> = {
  fields: {},
  toValues: () => ({}),
  initialValues: () => ({}),
  toRequest: () => ({}),
};
