import { Menu, Tray, nativeImage } from 'electron';

export interface TrayActions {
  readonly show: () => void;
  readonly quit: () => void;
}

/**
 * The tray icon is how the app is reached while the window is hidden, and the only way
 * to quit it: closing the window keeps calls going.
 */
export function createTray(iconPath: string, { show, quit }: TrayActions): Tray {
  const tray = new Tray(nativeImage.createFromPath(iconPath));
  tray.setToolTip('Callbridge');
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Show Comms Manager', click: show },
      { type: 'separator' },
      { label: 'Quit', click: quit },
    ]),
  );
  // Windows and macOS report a plain click; Linux desktops open the menu instead.
  tray.on('click', show);
  return tray;
}
