import { AsyncLocalStorage } from 'node:async_hooks';
import { estimateCostUsd } from '@algorhythm/telemetry';
import type { ChatModel, ChatResponse, StreamEvent } from '../model/types.ts';
import type { AgentTracing } from '../telemetry/agent-tracing.ts';

type Charge = (customerId: number, usd: number) => Promise<void>;

/**
 * Charges each model call to the customer whose turn made it, with the cost the `chat` span records
 * (`estimateCostUsd` on the answering model, else the requested one). The turn runner knows nothing of
 * budgets: every turn, a customer's message or one resumed after an approval, runs inside
 * `AgentTracing.turn`, so that is where the customer is put in scope for the models to read.
 */
export function createCharging(charge: Charge) {
  const customer = new AsyncLocalStorage<number>();
  const chargeCall = async (model: ChatModel, response: Pick<ChatResponse, 'model' | 'usage'>) => {
    const customerId = customer.getStore();
    if (customerId === undefined) return;
    const usd = estimateCostUsd(response.model ?? model.modelId, response.usage);
    if (usd) await charge(customerId, usd);
  };

  return {
    tracing(tracing: AgentTracing): AgentTracing {
      return {
        turn: (attributes, fn) => tracing.turn(attributes, () => customer.run(attributes.customerId, fn)),
        agent: (agent, conversationId, fn) => tracing.agent(agent, conversationId, fn),
        routed: (decision) => tracing.routed(decision),
        approvalRequested: (approval) => tracing.approvalRequested(approval),
        approvalDecided: (approval, waitedMs) => tracing.approvalDecided(approval, waitedMs),
        currentTraceparent: () => tracing.currentTraceparent(),
      };
    },
    model(model: ChatModel): ChatModel {
      return {
        provider: model.provider,
        modelId: model.modelId,
        ...(model.endpoint ? { endpoint: model.endpoint } : {}),
        ...(model.displayName ? { displayName: model.displayName } : {}),
        async generate(request) {
          const response = await model.generate(request);
          await chargeCall(model, response);
          return response;
        },
        async *stream(request): AsyncIterable<StreamEvent> {
          for await (const event of model.stream(request)) {
            if (event.type === 'finish') await chargeCall(model, event);
            yield event;
          }
        },
      };
    },
  };
}
