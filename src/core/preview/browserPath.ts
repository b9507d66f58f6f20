/**
 * Finds a Chromium-family browser already on the machine (Chrome, Chromium, Edge). QCoder
 * never downloads one: without a browser the preview is not offered, and the message says
 * how to point QCoder at one.
 */
import * as nodePath from 'node:path';

export const BROWSER_SETTING = 'qcoder.browser.executablePath';

export const NO_BROWSER_MESSAGE =
  `No Chrome, Chromium or Edge was found on this machine, so pages cannot be previewed. Install one ` +
  `(for example \`apt install chromium\`), or set "${BROWSER_SETTING}" to the browser's executable.`;

export function browserCandidates(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string[] {
  if (platform === 'darwin')
    return ['Google Chrome', 'Chromium', 'Microsoft Edge', 'Brave Browser'].map(
      (app) => `/Applications/${app}.app/Contents/MacOS/${app}`,
    );
  if (platform === 'win32') {
    const bases = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter(
      (base): base is string => !!base,
    );
    const apps = ['Google\\Chrome\\Application\\chrome.exe', 'Microsoft\\Edge\\Application\\msedge.exe'];
    return bases.flatMap((base) => apps.map((app) => nodePath.win32.join(base, app)));
  }
  return [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/usr/bin/microsoft-edge',
    '/usr/bin/microsoft-edge-stable',
    '/snap/bin/chromium',
  ];
}

export type BrowserLookup =
  { readonly found: true; readonly path: string } | { readonly found: false; readonly message: string };

/** The setting wins (and is reported when wrong); then CHROME_PATH; then the usual places. */
export function findBrowser(
  setting: string | undefined,
  exists: (path: string) => boolean,
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): BrowserLookup {
  const configured = setting?.trim();
  if (configured) {
    if (exists(configured)) return { found: true, path: configured };
    return {
      found: false,
      message:
        `"${BROWSER_SETTING}" is set to ${configured}, but there is no file there. Point it ` +
        `at Chrome, Chromium or Edge.`,
    };
  }
  const candidates = [env.CHROME_PATH, ...browserCandidates(platform, env)].filter((path): path is string => !!path);
  const path = candidates.find((candidate) => exists(candidate));
  return path ? { found: true, path } : { found: false, message: NO_BROWSER_MESSAGE };
}
