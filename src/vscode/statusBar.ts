/**
 * The status-bar item: which model QCoder talks to, how many tokens it has used since
 * the window opened and their estimated cost; its tooltip adds the profile, the server,
 * the last request's tokens and cost. A click switches profile. It sends nothing to the
 * server itself.
 */
import * as vscode from 'vscode';
import { describeHost, resolveEndpoint } from '../core/model/endpoint';
import type { CostMeter } from '../core/model/costMeter';
import { formatCost } from '../core/model/pricing';
import { type UsageMeter, formatTokens } from '../core/model/usageMeter';
import { DisposableStore } from '../core/util/lifecycle';
import { activeProfileName } from './apiKeys';
import { readPrices } from './pricing';
import { onDidChangeSettings, readSettings } from './settings';

export const STATUS_BAR_ID = 'qcoder.status';

export function register(
  meter: UsageMeter,
  env: NodeJS.ProcessEnv = process.env,
  costs?: CostMeter,
): vscode.Disposable & { readonly item: vscode.StatusBarItem } {
  const store = new DisposableStore();
  const item = store.add(vscode.window.createStatusBarItem(STATUS_BAR_ID, vscode.StatusBarAlignment.Right, 100));
  item.name = 'QCoder';
  item.command = 'qcoder.switchProfile';

  const endpoint = () => resolveEndpoint(readSettings(), env);
  const render = () => {
    const { model, baseUrl } = endpoint();
    const totals = meter.totals;
    const used = totals.promptTokens + totals.completionTokens;
    const spent = costs && [...costs.totals].map(([currency, amount]) => formatCost(amount, currency)).join(' + ');
    item.text = `$(sparkle) ${model} · ${formatTokens(used)}${spent ? ` · ${spent}` : ''}`;
    const tooltip = new vscode.MarkdownString(undefined, true);
    const profile = activeProfileName();
    tooltip.appendMarkdown(`**QCoder**${profile ? ` — profile *${escape(profile)}*` : ''}\n\n`);
    tooltip.appendMarkdown(`Model \`${model.replace(/`/g, '')}\` at ${escape(describeHost(baseUrl))}\n\n`);
    tooltip.appendMarkdown(
      `This session: ${used.toLocaleString('en')} tokens (${totals.promptTokens.toLocaleString('en')} in, ` +
        `${totals.completionTokens.toLocaleString('en')} out) over ${totals.requests} ` +
        `request${totals.requests === 1 ? '' : 's'}\n\n`,
    );
    if (costs) tooltip.appendMarkdown(costLines(costs));
    tooltip.appendMarkdown('Click to switch profile.');
    item.tooltip = tooltip;
  };

  store.add(meter.onDidChange(render));
  store.add(onDidChangeSettings(render));
  render();
  item.show();
  return Object.assign(new vscode.Disposable(() => store.dispose()), { item });
}

function costLines(costs: CostMeter): string {
  const last = costs.last;
  const lines: string[] = [];
  if (last) {
    const price = last.amount !== undefined && last.currency ? formatCost(last.amount, last.currency) : undefined;
    const cost = price ? `, estimated ${price}` : last.free ? ', free (local server)' : '';
    lines.push(`Last request: ${last.promptTokens.toLocaleString('en')} tokens in${cost}`);
  }
  if (costs.last) lines.push(`Estimated cost this session: ${costs.describeSession()}`);
  const { problems } = readPrices();
  if (problems.length) lines.push(...problems.map(escape));
  return lines.map((line) => `${line}\n\n`).join('');
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
