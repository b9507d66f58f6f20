/** The ripgrep binary VS Code ships, found under `vscode.env.appRoot` (its place moved across versions). */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export function ripgrepPath(appRoot: string, platform: NodeJS.Platform = process.platform): string | undefined {
  const exe = platform === 'win32' ? 'rg.exe' : 'rg';
  const candidates = [
    join(appRoot, 'node_modules', '@vscode', 'ripgrep', 'bin', exe),
    join(appRoot, 'node_modules.asar.unpacked', '@vscode', 'ripgrep', 'bin', exe),
    join(appRoot, 'node_modules', 'vscode-ripgrep', 'bin', exe),
    join(appRoot, 'node_modules.asar.unpacked', 'vscode-ripgrep', 'bin', exe),
  ];
  return candidates.find((candidate) => existsSync(candidate));
}
