import type { ListenPortSettings } from '../../../../shared/doors/listen-port.ts';
import { numberOrText, splitList, type SectionModel } from '../section.ts';

/** The listen port's section: where a PBX or CRM posts, and which other computers may. */
export const listenPortModel: SectionModel<ListenPortSettings, 'port' | 'allowFrom' | 'hostNames'> =
  {
    fields: {
      port: { label: 'Listen port' },
      allowFrom: { label: 'Allowed PBX addresses', list: true },
      hostNames: { label: 'Host names for this computer', list: true },
    },
    toValues: (saved) => ({
      port: String(saved.port),
      allowFrom: saved.allowFrom.join('\n'),
      hostNames: saved.hostNames.join(', '),
    }),
    toRequest: (values) => ({
      port: numberOrText(values.port),
      allowFrom: splitList(values.allowFrom),
      hostNames: splitList(values.hostNames),
    }),
  };
