import type { Extension, ExtensionType } from '../../../../shared/model/settings.ts';
import type { SectionModel, SectionValues } from '../section.ts';

export type ExtensionOf<T extends ExtensionType> = Extract<Extension, { readonly type: T }>;

/** An extension type's own fields; `type` itself belongs to the Extension fieldset. */
export interface ExtensionModel<T extends ExtensionType, F extends string> extends SectionModel<
  ExtensionOf<T>,
  F
> {
  /** What the fields hold when the type is chosen in the form rather than saved. */
  initialValues(): SectionValues<F>;
}
