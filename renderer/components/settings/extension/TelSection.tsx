import { useApp } from '../../../store/app-store.ts';
import { selectBackend } from '../../../store/lines-slice.ts';
import { describeBackendState } from '../../format.ts';

/**
 * TEL has no fields: say what it does, and which program dials once it is the active type
 * (the core asks the system and reports it in the backend's status).
 */
export function TelSection() {
  const backend = useApp(selectBackend);
  const active = backend?.type === 'tel' ? backend.status : null;
  return (
    <div className="field-help section-note">
      <p>
        Callbridge hands each call you dial to the program your system opens tel: links with
        (another softphone, such as Zoiper or MicroSIP), and that program has the call. Calls are
        outgoing only and do not appear on the lines; each one is listed in the integration log.
        Calls your PBX posts to the listen port still show here.
      </p>
      <p data-tel-handler={active?.state ?? 'unknown'}>
        {active === null
          ? 'Once this is saved, Callbridge names the program it dials through here.'
          : `Now: ${describeBackendState(active)}`}
      </p>
    </div>
  );
}
