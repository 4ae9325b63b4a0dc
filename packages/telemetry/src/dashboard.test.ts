import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ATTR, KNOWN_VALUES, RESOURCE_ATTR, SPAN_NAME_TEMPLATES } from './names.ts';

/**
 * Every span name and `span.`/`resource.` attribute a dashboard query uses must be one the code
 * emits, i.e. one declared in names.ts; compared values of closed-set attributes must be known.
 */

interface Target {
  refId: string;
  query?: string;
  queryType?: string;
  metricsQueryType?: string;
  datasource?: { type?: string; uid?: string };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { type?: string; uid?: string };
  targets?: Target[];
  panels?: Panel[];
}
interface Dashboard {
  uid: string;
  title: string;
  templating: { list: Array<{ name: string; type: string; query?: string }> };
  panels: Panel[];
}

const dashboard = JSON.parse(
  readFileSync(new URL('../../../grafana/dashboards/algorhythm-llm.json', import.meta.url), 'utf8'),
) as Dashboard;

const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
const targets = panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, ...t })));
const queries = targets.map((t) => ({ panel: t.panel, query: t.query ?? '' }));

const spanAttributes = new Set<string>(Object.values(ATTR));
const resourceAttributes = new Set<string>(Object.values(RESOURCE_ATTR));
const nameTemplates = Object.values(SPAN_NAME_TEMPLATES).map(
  (template) => new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '.+')}$`),
);

/** `span.x.y` / `resource.x.y` references, with the query they came from. */
function attributeRefs(): Array<{ scope: 'span' | 'resource'; key: string; panel: string }> {
  return queries.flatMap(({ panel, query }) =>
    [...query.matchAll(/\b(span|resource)\.([A-Za-z_][\w.]*\w)/g)].map((m) => ({
      scope: m[1] as 'span' | 'resource',
      key: m[2]!,
      panel,
    })),
  );
}

describe('grafana/dashboards/algorhythm-llm.json', () => {
  it('is an importable Tempo dashboard driven by a ${datasource} variable', () => {
    expect(dashboard.uid).toBe('algorhythm-llm');
    const variable = dashboard.templating.list.find((v) => v.name === 'datasource');
    expect(variable).toMatchObject({ type: 'datasource', query: 'tempo' });
    for (const target of targets) {
      expect(target.datasource, target.panel).toEqual({ type: 'tempo', uid: '${datasource}' });
      expect(target.queryType, target.panel).toBe('traceql');
      expect(target.query?.trim(), target.panel).toBeTruthy();
    }
    for (const panel of panels.filter((p) => p.type !== 'row')) {
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      expect(panel.datasource, panel.title).toEqual({ type: 'tempo', uid: '${datasource}' });
    }
  });

  it('has unique panel ids laid out within 24 columns', () => {
    const ids = panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of panels) expect(p.gridPos.x + p.gridPos.w, p.title).toBeLessThanOrEqual(24);
  });

  it('asks TraceQL metrics only for queries with a metrics function, and only uses defined variables', () => {
    const variables = new Set(dashboard.templating.list.map((v) => v.name));
    for (const t of targets) {
      const isMetrics = /\|\s*(rate|count_over_time|sum_over_time|avg_over_time|min_over_time|max_over_time|quantile_over_time|histogram_over_time)\(/.test(t.query ?? '');
      expect(t.metricsQueryType !== undefined, `${t.panel}: ${t.query}`).toBe(isMetrics);
      for (const [, name] of (t.query ?? '').matchAll(/\$(\w+)/g)) expect(variables.has(name!), `$${name}`).toBe(true);
    }
  });

  it('covers the panels the issue asks for', () => {
    const all = queries.map((q) => q.query).join('\n');
    expect(all).toContain('rate()'); // request rate
    expect(all).toContain('status = error'); // errors
    expect(all).toContain('quantile_over_time(duration, .5, .95, .99)'); // latency percentiles
    expect(all).toContain('sum_over_time(span.algorhythm.cost.usd) by (span.gen_ai.request.model)');
    expect(all).toContain('sum_over_time(span.algorhythm.cost.usd) by (span.gen_ai.agent.name)');
    expect(all).toContain('by (span.algorhythm.route.decision)');
    expect(all).toContain('by (span.gen_ai.tool.name, span.error.type)');
    expect(all).toContain('span.algorhythm.approval.wait.duration');
    expect(all).toContain('by (span.algorhythm.approval.outcome)');
    expect(all).toContain('count_over_time() by (span.algorhythm.limit.name)'); // abuse limits
    expect(panels.some((p) => p.type === 'table' && /slowest/i.test(p.title))).toBe(true);
  });

  it('queries only span attributes declared in names.ts', () => {
    const refs = attributeRefs();
    expect(refs.length).toBeGreaterThan(30); // the extraction works
    const unknown = refs.filter((r) => !(r.scope === 'span' ? spanAttributes : resourceAttributes).has(r.key));
    expect(unknown).toEqual([]);
  });

  it('uses no unscoped attributes (`.foo` would also match resources and hide typos)', () => {
    for (const { panel, query } of queries) expect(query, panel).not.toMatch(/(^|[\s({(,!&|])\.[A-Za-z_]/);
  });

  it('matches span names only exactly, and only names the code emits', () => {
    const names = queries.flatMap(({ panel, query }) =>
      [...query.matchAll(/(?<![\w.])(?:span:)?name\s*(=~|!~|!=|=)\s*"([^"]*)"/g)].map((m) => ({ op: m[1], name: m[2]!, panel })),
    );
    expect(names.length).toBeGreaterThan(0);
    for (const { op, name, panel } of names) {
      expect(op, panel).toMatch(/^!?=$/);
      expect(nameTemplates.some((re) => re.test(name)), `${panel}: span name "${name}"`).toBe(true);
    }
  });

  it('compares closed-set attributes only with values the code emits', () => {
    const comparisons = queries.flatMap(({ panel, query }) =>
      [...query.matchAll(/\b(?:span|resource)\.([\w.]+)\s*!?=\s*"([^"]*)"/g)].map((m) => ({ key: m[1]!, value: m[2]!, panel })),
    );
    expect(comparisons.length).toBeGreaterThan(5);
    for (const { key, value, panel } of comparisons) {
      const known = KNOWN_VALUES[key];
      if (known) expect(known, `${panel}: ${key} = "${value}"`).toContain(value);
    }
  });
});
