import type { ComponentType } from 'react';
import type { ExtensionType } from '../../../../shared/model/settings.ts';
import type { SectionProps } from '../section.ts';
import type { ExtensionFields } from './models.ts';
import { PbxEventsSection } from './PbxEventsSection.tsx';
import { SipSection } from './SipSection.tsx';
import { TelSection } from './TelSection.tsx';

export type ExtensionSectionComponent<F extends string> = ComponentType<SectionProps<F>>;

/**
 * The Settings form's fields for each extension type, one line per type: a type without
 * its section is a compile error. Its values, request and errors are in ./models.ts.
 */
export const EXTENSION_SECTIONS: {
  readonly [T in ExtensionType]: ExtensionSectionComponent<ExtensionFields[T]>;
} = {
  'pbx-events': PbxEventsSection,
  sip: SipSection,
  tel: TelSection,
};
