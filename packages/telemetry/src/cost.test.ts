import { describe, expect, it } from 'vitest';
import { estimateCostUsd, priceFor } from './cost.ts';
import prices from './prices.json' with { type: 'json' };

const usage = (inputTokens: number, outputTokens: number, cacheReadTokens = 0, cacheWriteTokens = 0) => ({
  inputTokens,
  outputTokens,
  cacheReadTokens,
  cacheWriteTokens,
});

describe('priceFor', () => {
  it('matches dated and tagged variants by longest prefix', () => {
    expect(priceFor('gpt-4o-mini-2024-07-18')).toEqual(prices.models['gpt-4o-mini']);
    expect(priceFor('gpt-4o-2024-08-06')).toEqual(prices.models['gpt-4o']);
    expect(priceFor('claude-3-5-haiku-20241022')).toEqual(prices.models['claude-3-5-haiku']);
    expect(priceFor('claude-opus-4-1-20250805')).toEqual(prices.models['claude-opus-4-1']);
    expect(priceFor('gemini-2.5-flash-lite-preview-06-17')).toEqual(prices.models['gemini-2.5-flash-lite']);
    expect(priceFor('o3-mini')).toEqual(prices.models['o3-mini']);
    expect(priceFor('deepseek-reasoner')).toEqual(prices.models['deepseek-reasoner']);
  });

  it('ignores case and provider paths, and needs a boundary after the prefix', () => {
    expect(priceFor('models/Gemini-2.0-Flash')).toEqual(prices.models['gemini-2.0-flash']);
    expect(priceFor('gpt-4.10-preview')).toBeUndefined();
    expect(priceFor('o30')).toBeUndefined();
    expect(priceFor('llama-3.3-70b')).toBeUndefined();
  });

  it('covers the families the adapters use', () => {
    for (const model of ['gpt-4o-mini', 'gpt-4.1-nano', 'o4-mini', 'claude-sonnet-4-5', 'claude-3-haiku-20240307', 'gemini-2.5-pro', 'deepseek-chat', 'offline']) {
      expect(priceFor(model), model).toBeDefined();
    }
  });
});

describe('estimateCostUsd', () => {
  it('prices input and output per million tokens', () => {
    // 1000 × $0.15/M + 500 × $0.60/M
    expect(estimateCostUsd('gpt-4o-mini-2024-07-18', usage(1000, 500))).toBe(0.00045);
    expect(estimateCostUsd('gpt-4o', usage(1_000_000, 1_000_000))).toBe(12.5);
  });

  it('bills cache reads at the cached rate (input tokens include them)', () => {
    // 800 uncached × $2.50/M + 200 cached × $1.25/M + 100 × $10/M
    expect(estimateCostUsd('gpt-4o', usage(1000, 100, 200))).toBe(0.00325);
  });

  it('bills Anthropic cache writes at the cache-write rate', () => {
    // 100 uncached × $3 + 300 read × $0.30 + 600 written × $3.75 + 50 out × $15, per M
    expect(estimateCostUsd('claude-sonnet-4-20250514', usage(1000, 50, 300, 600))).toBe(0.00339);
  });

  it('is zero for the offline model and undefined for unknown models', () => {
    expect(estimateCostUsd('offline', usage(5000, 5000))).toBe(0);
    expect(estimateCostUsd('my-finetune', usage(1, 1))).toBeUndefined();
  });

  it('never goes negative when cache counts exceed input', () => {
    expect(estimateCostUsd('gpt-4o-mini', usage(10, 0, 20))).toBeCloseTo(20 * 0.075 / 1e6, 12);
  });
});
