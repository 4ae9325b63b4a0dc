import { estimateCostUsd } from '@algorhythm/telemetry';
import { describe, expect, it } from 'vitest';
import { createScriptedModel } from '../model/scripted.ts';
import type { StreamEvent } from '../model/types.ts';
import { noTracing } from '../telemetry/agent-tracing.ts';
import { createCharging } from './charging.ts';

const usage = { inputTokens: 12_000, outputTokens: 800, cacheReadTokens: 2_000, cacheWriteTokens: 0 };

function setup() {
  const charges: Array<[number, number]> = [];
  const charging = createCharging(async (customerId, usd) => void charges.push([customerId, usd]));
  const model = createScriptedModel(
    [
      { text: 'one', usage, model: 'gpt-4o-mini-2024-07-18' },
      { text: 'two', usage, model: 'gpt-4o-mini-2024-07-18' },
      { text: 'three', usage, model: 'gpt-4o-mini-2024-07-18' },
    ],
    { modelId: 'gpt-4o-mini' },
  );
  return { charges, model: charging.model(model), tracing: charging.tracing(noTracing) };
}

describe('createCharging', () => {
  it('charges each call of a turn to its customer, at the cost the chat span records', async () => {
    const { charges, model, tracing } = setup();
    const cost = estimateCostUsd('gpt-4o-mini-2024-07-18', usage)!;
    expect(cost).toBeGreaterThan(0);
    await tracing.turn({ conversationId: 'c1', customerId: 7 }, async () => {
      await model.generate({ messages: [{ role: 'user', content: 'hi' }] });
      const events: StreamEvent[] = [];
      for await (const event of model.stream({ messages: [{ role: 'user', content: 'hi' }] })) events.push(event);
      expect(events.at(-1)?.type).toBe('finish');
    });
    expect(charges).toEqual([
      [7, cost],
      [7, cost],
    ]);
  });

  it('charges nobody for a call outside a turn', async () => {
    const { charges, model } = setup();
    await model.generate({ messages: [{ role: 'user', content: 'hi' }] });
    expect(charges).toEqual([]);
  });
});
