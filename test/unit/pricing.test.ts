/**
 * What a request costs: tiers by input size, free local servers, the user's entries
 * before the built-in ones, checked settings, and the session's running total.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CostMeter, describeInputCost } from '../../src/core/model/costMeter';
import {
  BUILTIN_PRICES,
  type PriceEntry,
  formatCost,
  parsePrices,
  priceFor,
  requestCost,
} from '../../src/core/model/pricing';
import { UsageMeter } from '../../src/core/model/usageMeter';

const DASHSCOPE = 'https://dashscope.aliyuncs.com/compatible-mode/v1';
const plus = (): PriceEntry => {
  const price = priceFor(BUILTIN_PRICES, 'qwen3-coder-plus', DASHSCOPE);
  assert.equal(price?.kind, 'priced');
  return (price as { entry: PriceEntry }).entry;
};
const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-9, `${actual}`);

describe('request prices', () => {
  it('bill DashScope qwen3-coder-plus by the tier its input falls in, the whole request at that rate', () => {
    // The published CNY rates per thousand tokens: 0.004/0.016, 0.006/0.024, 0.01/0.04, 0.02/0.2.
    close(requestCost(plus(), 20_000, 1_000), 20 * 0.004 + 1 * 0.016);
    close(requestCost(plus(), 32_768, 0), 32.768 * 0.004);
    close(requestCost(plus(), 32_769, 0), 32.769 * 0.006);
    close(requestCost(plus(), 100_000, 2_000), 100 * 0.006 + 2 * 0.024);
    close(requestCost(plus(), 224_000, 500), 224 * 0.01 + 0.5 * 0.04);
    close(requestCost(plus(), 300_000, 1_000), 300 * 0.02 + 1 * 0.2);
    // Past the last tier, the last tier's rate.
    close(requestCost(plus(), 2_000_000, 0), 2000 * 0.02);
  });

  it('price qwen3-coder-flash and dated snapshots of both, on DashScope only', () => {
    const flash = priceFor(BUILTIN_PRICES, 'qwen3-coder-flash', DASHSCOPE);
    assert.equal(flash?.kind, 'priced');
    close(requestCost((flash as { entry: PriceEntry }).entry, 10_000, 1_000), 10 * 0.001 + 0.004);
    assert.equal(priceFor(BUILTIN_PRICES, 'qwen3-coder-plus-2025-09-23', DASHSCOPE)?.kind, 'priced');
    assert.equal(priceFor(BUILTIN_PRICES, 'qwen3-coder-plus', 'https://openrouter.ai/api/v1'), undefined);
    assert.equal(priceFor(BUILTIN_PRICES, 'qwen-max', DASHSCOPE), undefined);
  });

  it('are free on a server on this machine, unless an entry names its host (a local proxy to a paid API)', () => {
    const anyHost: PriceEntry = {
      model: 'qwen3-coder-plus',
      currency: 'USD',
      tiers: [{ upTo: 1e6, input: 1, output: 5 }],
    };
    for (const url of ['http://127.0.0.1:8000/v1', 'http://localhost:11434/v1', 'http://[::1]:8080/v1'])
      assert.deepEqual(priceFor([anyHost, ...BUILTIN_PRICES], 'qwen3-coder-plus', url), { kind: 'free' });
    const proxy: PriceEntry = { ...anyHost, host: 'LOCALHOST' };
    assert.deepEqual(priceFor([proxy], 'qwen3-coder-plus', 'http://localhost:4000/v1'), {
      kind: 'priced',
      entry: proxy,
    });
    assert.deepEqual(priceFor([proxy], 'qwen3-coder-plus', 'http://127.0.0.1:4000/v1'), { kind: 'free' });
  });

  it('take the user’s entry before the built-in one, any host when none is given, names in any case', () => {
    const mine: PriceEntry = {
      model: 'QWEN3-CODER-PLUS',
      currency: 'USD',
      tiers: [{ upTo: 1e6, input: 1, output: 5 }],
    };
    const price = priceFor([mine, ...BUILTIN_PRICES], 'qwen3-coder-plus', DASHSCOPE);
    assert.deepEqual(price, { kind: 'priced', entry: mine });
    assert.deepEqual(priceFor([mine], 'qwen3-coder-plus', 'https://example.com/v1'), { kind: 'priced', entry: mine });
    // An exact name does not match a longer one.
    assert.equal(priceFor([mine], 'qwen3-coder-plus-latest', 'https://example.com/v1'), undefined);
  });

  it('read as money a person recognises', () => {
    assert.equal(formatCost(0.094, 'CNY'), '¥0.094');
    assert.equal(formatCost(1.2, 'USD'), '$1.20');
    assert.equal(formatCost(0.0031, 'CHF'), '0.0031 CHF');
    assert.equal(formatCost(0, 'EUR'), '€0.00');
    assert.equal(formatCost(12.345, 'usd'), '$12.35');
  });

  it('say in the ledger what the input will cost and in which tier, or why there is no figure', () => {
    assert.equal(
      describeInputCost({ kind: 'priced', entry: plus() }, 100_000),
      '≈ ¥0.60 for its input (the 32K–128K input tier, ¥6.00 per million tokens)',
    );
    assert.equal(
      describeInputCost({ kind: 'priced', entry: plus() }, 20_000),
      '≈ ¥0.080 for its input (the 0K–32K input tier, ¥4.00 per million tokens)',
    );
    assert.equal(describeInputCost({ kind: 'free' }, 100_000), 'free: the server runs on this machine');
    assert.match(describeInputCost(undefined, 100_000), /no price known .*qcoder\.pricing/);
  });
});

describe('the pricing setting', () => {
  it('keeps good entries and says what is wrong with each bad one', () => {
    const good = { model: 'gpt-4o*', currency: 'USD', tiers: [{ upTo: 128000, input: 2.5, output: 10 }] };
    const { entries, problems } = parsePrices([
      good,
      'cheap',
      { currency: 'USD', tiers: [] },
      { model: 'm', tiers: [{ upTo: 1, input: 1, output: 1 }] },
      { model: 'm', currency: 'USD' },
      { model: 'm', currency: 'USD', tiers: [{ upTo: 10, input: -1, output: 1 }] },
      {
        model: 'm',
        currency: 'USD',
        tiers: [
          { upTo: 10, input: 1, output: 1 },
          { upTo: 5, input: 1, output: 1 },
        ],
      },
      { model: 'm', host: 3, currency: 'USD', tiers: [{ upTo: 10, input: 1, output: 1 }] },
    ]);
    assert.deepEqual(entries, [good]);
    assert.deepEqual(problems, [
      'qcoder.pricing entry 2: not an object',
      'qcoder.pricing entry 3: needs a "model" (a name, or a prefix ending in *)',
      'qcoder.pricing entry 4: needs a "currency" such as "USD"',
      'qcoder.pricing entry 5: needs "tiers": [{ "upTo", "input", "output" }]',
      'qcoder.pricing entry 6: each tier needs "upTo", "input" and "output" as numbers of zero or ' +
        'more (prices per million tokens)',
      'qcoder.pricing entry 7: tiers must go from the smallest "upTo" to the largest',
      'qcoder.pricing entry 8: "host" must be a host name',
    ]);
    assert.deepEqual(parsePrices(undefined), { entries: [], problems: [] });
    assert.deepEqual(parsePrices({}).problems, ['qcoder.pricing must be a list of price entries.']);
  });
});

describe('the session’s running cost', () => {
  it('prices each request by its own input tier and adds them up', () => {
    const usage = new UsageMeter();
    const costs = new CostMeter(usage, () => ({ kind: 'priced', entry: plus() }));
    usage.record({ promptTokens: 20_000, completionTokens: 1_000 });
    usage.record({ promptTokens: 200_000, completionTokens: 0 });
    close(costs.totals.get('CNY') ?? 0, 20 * 0.004 + 0.016 + 200 * 0.01);
    assert.deepEqual(costs.last, {
      promptTokens: 200_000,
      completionTokens: 0,
      amount: 2,
      currency: 'CNY',
      free: false,
    });
    assert.equal(costs.describeSession(), '¥2.10');
  });

  it('counts free and unpriced requests apart, and stops listening when disposed', () => {
    const usage = new UsageMeter();
    let price: ReturnType<typeof priceFor> = { kind: 'free' };
    const costs = new CostMeter(usage, () => price);
    usage.record({ promptTokens: 5_000, completionTokens: 10 });
    assert.equal(costs.describeSession(), 'free');
    assert.equal(costs.last?.free, true);
    price = undefined;
    usage.record({ promptTokens: 5_000, completionTokens: 10 });
    assert.equal(costs.describeSession(), '1 request not priced');
    price = { kind: 'priced', entry: plus() };
    usage.record({ promptTokens: 10_000, completionTokens: 0 });
    usage.record({ promptTokens: 10_000, completionTokens: 0 });
    price = undefined;
    usage.record({ promptTokens: 1, completionTokens: 0 });
    assert.equal(costs.describeSession(), '¥0.080 (2 requests not priced)');
    costs.dispose();
    usage.record({ promptTokens: 1_000_000, completionTokens: 0 });
    assert.equal(costs.describeSession(), '¥0.080 (2 requests not priced)');
  });
});
