/**
 * The price table from `qcoder.pricing` (the user's settings only: a workspace must not
 * make a paid model look free) before the built-in entries, and the session's cost meter
 * priced at the endpoint in use.
 */
import * as vscode from 'vscode';
import { CostMeter } from '../core/model/costMeter';
import { resolveEndpoint } from '../core/model/endpoint';
import { BUILTIN_PRICES, type Price, type PriceEntry, parsePrices, priceFor } from '../core/model/pricing';
import type { UsageMeter } from '../core/model/usageMeter';
import { readSettings } from './settings';

export function readPrices(): { entries: PriceEntry[]; problems: string[] } {
  const raw = vscode.workspace.getConfiguration('qcoder').inspect('pricing')?.globalValue;
  const { entries, problems } = parsePrices(raw);
  return { entries: [...entries, ...BUILTIN_PRICES], problems };
}

export function priceOf(model: string, baseUrl: string): Price {
  return priceFor(readPrices().entries, model, baseUrl);
}

/** Create it before the status bar registers, so the bar reads totals that include the request it shows. */
export function createCostMeter(usage: UsageMeter, env: NodeJS.ProcessEnv = process.env): CostMeter {
  return new CostMeter(usage, () => {
    const { model, baseUrl } = resolveEndpoint(readSettings(), env);
    return priceOf(model, baseUrl);
  });
}
