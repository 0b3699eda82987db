// The small interfaces every Electron API sits behind. electron-main.ts implements them on Electron's real
// objects; tests implement them with recording fakes. Nothing here imports Electron.
import type { Notice } from '../../shared/logic/notification-policy.js';
import type { IpcSender } from './ipc-validation.js';
import type { MenuItemModel, TrayAction } from './tray-model.js';
import type { PanelTheme } from './tray-icons.js';

export interface TrayPort {
  /** File name from the tray model (e.g. `tray-failed-dark.png`); the adapter resolves it in the icon directory. */
  setImage(iconFileName: string): void;
  setToolTip(text: string): void;
  /** Replaces the whole menu (Linux needs setContextMenu again after any change). */
  setMenu(menu: readonly MenuItemModel[], onAction: (action: TrayAction) => void): void;
  onClick(listener: () => void): void;
  destroy(): void;
}

export interface NotifierPort {
  isSupported(): boolean;
  /** Shows a notice; one with the key of a notice on screen replaces it. */
  show(notice: Notice, onClick: () => void): void;
}

export interface WindowPort {
  readonly webContentsId: number;
  show(): void;
  focus(): void;
  hide(): void;
  isVisible(): boolean;
  isDestroyed(): boolean;
  send(channel: string, payload: unknown): void;
  /** `preventDefault` keeps the window (hide to tray instead of closing). */
  onClose(listener: (preventDefault: () => void) => void): void;
  onClosed(listener: () => void): void;
  /** The page started loading again (reload): it has no subscription until it says it is ready. */
  onReload(listener: () => void): void;
}

export interface WindowFactory {
  create(options: { show: boolean }): WindowPort;
}

export interface IpcPort {
  handle(channel: string, handler: (sender: IpcSender, args: unknown[]) => Promise<unknown>): void;
}

export interface ThemePort {
  current(): PanelTheme;
  onChange(listener: () => void): void;
}
