import { createOfflineModel } from '../../model/offline/index.ts';
import type { ChatModel, ChatRequest, Usage } from '../../model/types.ts';

/** What one priced call uses: at gpt-4o-mini's list price, 0.0021 USD. */
export const PRICED_USAGE: Usage = { inputTokens: 10_000, outputTokens: 1_000, cacheReadTokens: 0, cacheWriteTokens: 0 };
const FREE: Usage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };

/**
 * The offline model's answers, reported as gpt-4o-mini (a model in the price table) with `PRICED_USAGE` when
 * the conversation mentions `marker`, and no usage otherwise: one host serves the budget tests and the
 * message-rate tests without one spending the other's budget.
 */
export function pricedOfflineModel(marker: string): ChatModel {
  const offline = createOfflineModel();
  const usageOf = (request: ChatRequest) => (JSON.stringify(request.messages).includes(marker) ? PRICED_USAGE : FREE);
  return {
    provider: 'offline',
    modelId: 'gpt-4o-mini',
    displayName: 'offline answers at gpt-4o-mini prices',
    generate: async (request) => ({ ...(await offline.generate(request)), model: 'gpt-4o-mini', usage: usageOf(request) }),
    async *stream(request) {
      for await (const event of offline.stream(request)) {
        yield event.type === 'finish' ? { ...event, model: 'gpt-4o-mini', usage: usageOf(request) } : event;
      }
    },
  };
}
