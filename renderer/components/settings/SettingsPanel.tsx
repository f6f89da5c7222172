import { useApp } from '../../store/app-store.ts';
import { selectDoors } from '../../store/doors-slice.ts';
import { selectSave } from '../../store/settings-slice.ts';
import { SettingsForm } from './SettingsForm.tsx';

export function SettingsPanel() {
  const view = useApp((state) => state.settingsView);
  const save = useApp(selectSave);
  const doors = useApp(selectDoors);

  return (
    <section className="settings" aria-labelledby="settings-heading">
      <h2 id="settings-heading">Settings</h2>
      {view ? (
        <SettingsForm
          // A new form when the core's settings change (ours saved, or another window's).
          key={JSON.stringify(view.settings)}
          settings={view.settings}
          doors={doors}
          save={save}
        />
      ) : (
        <p className="muted">Waiting for the Callbridge core…</p>
      )}
      <p className="save-status" role="status">
        {save.status === 'saved' ? 'Settings saved' : ''}
      </p>
    </section>
  );
}
