/**
 * The status-bar item: which model QCoder talks to and how many tokens it has used
 * since the window opened; its tooltip adds the profile and the server. A click
 * switches profile. It sends nothing to the server itself.
 */
import * as vscode from 'vscode';
import { describeHost, resolveEndpoint } from '../core/model/endpoint';
import { type UsageMeter, formatTokens } from '../core/model/usageMeter';
import { DisposableStore } from '../core/util/lifecycle';
import { activeProfileName } from './apiKeys';
import { onDidChangeSettings, readSettings } from './settings';

export const STATUS_BAR_ID = 'qcoder.status';

export function register(meter: UsageMeter, env: NodeJS.ProcessEnv = process.env): vscode.Disposable {
  const store = new DisposableStore();
  const item = store.add(vscode.window.createStatusBarItem(STATUS_BAR_ID, vscode.StatusBarAlignment.Right, 100));
  item.name = 'QCoder';
  item.command = 'qcoder.switchProfile';

  const endpoint = () => resolveEndpoint(readSettings(), env);
  const render = () => {
    const { model, baseUrl } = endpoint();
    const totals = meter.totals;
    const used = totals.promptTokens + totals.completionTokens;
    item.text = `$(sparkle) ${model} · ${formatTokens(used)}`;
    const tooltip = new vscode.MarkdownString(undefined, true);
    const profile = activeProfileName();
    tooltip.appendMarkdown(`**QCoder**${profile ? ` — profile *${escape(profile)}*` : ''}\n\n`);
    tooltip.appendMarkdown(`Model \`${model.replace(/`/g, '')}\` at ${escape(describeHost(baseUrl))}\n\n`);
    tooltip.appendMarkdown(
      `This session: ${used.toLocaleString('en')} tokens (${totals.promptTokens.toLocaleString('en')} in, ${totals.completionTokens.toLocaleString('en')} out) over ${totals.requests} request${totals.requests === 1 ? '' : 's'}\n\n`,
    );
    tooltip.appendMarkdown('Click to switch profile.');
    item.tooltip = tooltip;
  };

  store.add(meter.onDidChange(render));
  store.add(onDidChangeSettings(render));
  render();
  item.show();
  return new vscode.Disposable(() => store.dispose());
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
