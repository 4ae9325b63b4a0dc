import prices from './prices.json' with { type: 'json' };

/** USD per million tokens; see prices.json for what the numbers are (an estimate). */
export interface ModelPrice {
  input: number;
  output: number;
  /** Input tokens read from the provider's cache; defaults to `input`. */
  cachedInput?: number;
  /** Input tokens written to the cache (Anthropic); defaults to `input`. */
  cacheWrite?: number;
}

/** Structurally agent-host's `Usage`: `inputTokens` includes the cached tokens. */
export interface CostUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
}

const TABLE: Readonly<Record<string, ModelPrice>> = prices.models;
const PREFIXES = Object.keys(TABLE).sort((a, b) => b.length - a.length);
/** What may follow a family prefix: a date, a tag or a version suffix. */
const BOUNDARY = /^[-@:_]/;

/**
 * The price of `model` by longest matching prefix (case-insensitive, any `provider/` or `models/`
 * path dropped), or undefined when the model is not in the table.
 */
export function priceFor(model: string): ModelPrice | undefined {
  const name = model.trim().toLowerCase().split('/').pop() ?? '';
  const prefix = PREFIXES.find((p) => name === p || (name.startsWith(p) && BOUNDARY.test(name.slice(p.length))));
  return prefix === undefined ? undefined : TABLE[prefix];
}

/**
 * Estimated cost of one call in USD: uncached input at the input price, cache reads at the cached
 * rate, cache writes at the cache-write rate, output at the output price. Undefined for an unknown
 * model, so spans carry no cost rather than a wrong zero.
 */
export function estimateCostUsd(model: string, usage: CostUsage): number | undefined {
  const price = priceFor(model);
  if (!price) return undefined;
  const cacheRead = usage.cacheReadTokens ?? 0;
  const cacheWrite = usage.cacheWriteTokens ?? 0;
  const uncached = Math.max(0, usage.inputTokens - cacheRead - cacheWrite);
  const micro =
    uncached * price.input +
    cacheRead * (price.cachedInput ?? price.input) +
    cacheWrite * (price.cacheWrite ?? price.input) +
    usage.outputTokens * price.output;
  // Round away float noise (0.00015000000000000001) at a precision far below a token's price.
  return Math.round(micro * 1e4) / 1e10;
}
