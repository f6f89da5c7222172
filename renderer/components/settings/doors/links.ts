import type { LinksSettings } from '../../../../shared/doors/links.ts';
import type { SectionModel } from '../section.ts';

/** The links section: whether a click-to-dial link dials at once or asks first. */
export const linksModel: SectionModel<LinksSettings, 'askBeforeDialing'> = {
  fields: {
    askBeforeDialing: { label: 'Ask before dialing links' },
  },
  toValues: (saved) => ({ askBeforeDialing: String(saved.askBeforeDialing) }),
  toRequest: (values) => ({ askBeforeDialing: values.askBeforeDialing === 'true' }),
};
