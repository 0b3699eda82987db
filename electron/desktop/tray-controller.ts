// Applies the tray model to the tray. Only what changed is pushed (menus are rebuilt as a whole on every change,
// because Linux trays need setContextMenu again after any edit).
import type { TrayPort } from './ports.js';
import { buildTrayModel, type TrayAction, type TrayModel, type TrayState } from './tray-model.js';

export class TrayController {
  private last: TrayModel | undefined;
  private lastMenu = '';

  constructor(
    private readonly tray: TrayPort,
    private readonly dispatch: (action: TrayAction) => void,
  ) {}

  get model(): TrayModel | undefined {
    return this.last;
  }

  update(state: TrayState): TrayModel {
    const model = buildTrayModel(state);
    const previous = this.last;
    if (previous?.icon !== model.icon) this.tray.setImage(model.icon);
    if (previous?.tooltip !== model.tooltip) this.tray.setToolTip(model.tooltip);
    const menu = JSON.stringify(model.menu);
    if (menu !== this.lastMenu) {
      this.tray.setMenu(model.menu, this.dispatch);
      this.lastMenu = menu;
    }
    this.last = model;
    return model;
  }
}
