import { useApp } from '../../store/app-store.ts';
import { selectSettingsProblem } from '../../store/settings-slice.ts';
import { WarningIcon } from '../icons.tsx';

/**
 * A damaged settings.json must not pass unnoticed: the app runs on defaults, which may
 * not be what this office needs. The core clears the problem once a save succeeds.
 */
export function SettingsProblemBanner() {
  const problem = useApp(selectSettingsProblem);
  return (
    // Always present, so that assistive technology announces what appears in it.
    <div className="banner-region" role="alert">
      {problem !== null && (
        <div className="banner banner-warning" data-settings-problem="">
          <WarningIcon />
          <p className="banner-title">
            The saved settings could not be used: {problem.replace(/[.\s]+$/, '')}. Callbridge is
            running on defaults until you save.
          </p>
        </div>
      )}
    </div>
  );
}
