/**
 * "Browse…": the system's open dialog over the window that asked (the CRM database file,
 * the attachments folder). Main only: the engine host has no windows. Takes Electron's
 * dialog and window lookup as arguments, so tests need no Electron.
 */
import type {
  BrowserWindow,
  OpenDialogOptions,
  OpenDialogReturnValue,
  WebContents,
} from 'electron';
import type { PickPathRequest } from '../shared/app-api.ts';

export interface DialogApi {
  showOpenDialog(window: BrowserWindow, options: OpenDialogOptions): Promise<OpenDialogReturnValue>;
  showOpenDialog(options: OpenDialogOptions): Promise<OpenDialogReturnValue>;
}

/** The open dialog's options for a request: a file to open, or a folder (may be created). */
export function openDialogOptions(request: PickPathRequest): OpenDialogOptions {
  const file = request.kind === 'file';
  return {
    title: request.title,
    ...(request.defaultPath ? { defaultPath: request.defaultPath } : {}),
    properties: file
      ? ['openFile', 'showHiddenFiles']
      : ['openDirectory', 'createDirectory', 'showHiddenFiles'],
    ...(file && request.filters?.length ? { filters: request.filters } : {}),
  };
}

/** The `dialog:pick-path` handler: the chosen path, or null when cancelled. */
export function pickPathHandler(
  dialog: DialogApi,
  windowOf: (sender: WebContents) => BrowserWindow | null,
): (sender: WebContents, request: PickPathRequest) => Promise<string | null> {
  return async (sender, request) => {
    const options = openDialogOptions(request);
    const window = windowOf(sender);
    // Over the calling window (modal to it); a window gone meanwhile gets a free dialog.
    const result = window
      ? await dialog.showOpenDialog(window, options)
      : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  };
}
