import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import { toSse, type ChatEvent } from '../../events/chat-events.ts';
import type { HttpDeps } from '../deps.ts';
import { customerSession } from '../middleware/customer-session.ts';
import { parseBody } from '../parse-body.ts';
import { streamTopic } from '../sse.ts';
import { conversationView } from '../../turns/conversation-view.ts';

export const MAX_MESSAGE_BYTES = 8 * 1024;

// Strict: a customer id (or anything else) in the body is refused, never trusted.
const ChatBody = z.strictObject({
  message: z.string().trim().min(1, 'message must not be empty'),
  conversationId: z.string().uuid().optional(),
});

export function chatRoutes(deps: HttpDeps) {
  const requireCustomer = customerSession(deps.session);
  // A conversation id that is not ours, or not a uuid, is simply not found.
  const ConversationId = z.string().uuid();
  const ownConversation = async (customerId: number, id: string) => {
    if (!ConversationId.safeParse(id).success) throw new AppError('not_found', 'Conversation not found.');
    return deps.turns.ownConversation(customerId, id);
  };

  return new Hono()
    .post('/api/chat', requireCustomer, deps.limits.turn, async (c) => {
      const customerId = c.get('customerId');
      const body = await parseBody(c, ChatBody, 64 * 1024);
      if (Buffer.byteLength(body.message) > MAX_MESSAGE_BYTES) {
        throw new AppError('too_large', `Messages are limited to ${MAX_MESSAGE_BYTES} bytes.`);
      }
      if (body.conversationId) await ownConversation(customerId, body.conversationId);
      const turn = { customerId, message: body.message, ...(body.conversationId ? { conversationId: body.conversationId } : {}) };

      const accept = c.req.header('accept') ?? '';
      if (accept.includes('application/json') && !accept.includes('text/event-stream')) {
        let failure: string | undefined;
        const result = await deps.turns.runMessage({
          ...turn,
          // Nobody reads the text as it is written: one vendor call in one piece is cheaper than a stream.
          streamed: false,
          emit: (event) => {
            if (event.type === 'error') failure = event.message;
          },
        });
        if (failure) return c.json({ error: failure, conversationId: result.conversationId }, 502);
        return c.json(result);
      }

      return streamSSE(c, async (stream) => {
        const emit = (event: ChatEvent) => void stream.writeSSE(toSse(event));
        try {
          // The turn runs to completion even if the browser leaves, so its answer is stored.
          await deps.turns.runMessage({ ...turn, emit });
        } catch (error) {
          deps.log(`chat stream failed: ${String(error)}`);
          emit({ type: 'error', message: error instanceof AppError ? error.message : 'Something went wrong.' });
        }
      });
    })
    .get('/api/conversations', requireCustomer, async (c) => {
      const conversations = await deps.store.listConversations(c.get('customerId'));
      return c.json({
        conversations: conversations.map(({ id, title, updatedAt }) => ({ id, title, updatedAt })),
      });
    })
    .get('/api/conversations/:id', requireCustomer, async (c) => {
      const conversation = await ownConversation(c.get('customerId'), c.req.param('id'));
      const [messages, approvals] = await Promise.all([
        deps.store.loadMessages(conversation.id),
        deps.store.listApprovalsForConversation(conversation.id),
      ]);
      return c.json(conversationView(conversation, messages, approvals));
    })
    .get('/api/conversations/:id/events', requireCustomer, async (c) => {
      const conversation = await ownConversation(c.get('customerId'), c.req.param('id'));
      return streamTopic(c, {
        hub: deps.conversationEvents,
        topic: conversation.id,
        encode: toSse,
        shutdown: deps.shutdown,
      });
    });
}
