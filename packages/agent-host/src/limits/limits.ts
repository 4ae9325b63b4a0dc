import type { Meter } from '@opentelemetry/api';
import type { Context, MiddlewareHandler } from 'hono';
import { every } from 'hono/combine';
import { LIMIT } from '@algorhythm/telemetry';
import type { Config } from '../config.ts';
import type { ChatModel } from '../model/types.ts';
import type { AgentTracing } from '../telemetry/agent-tracing.ts';
import { BUDGET_ROW_SECONDS, createBudget, MICRO_USD } from './budget.ts';
import { createCharging } from './charging.ts';
import { clientIp } from './client-ip.ts';
import type { LimiterBackend } from './limiter-backend.ts';
import { limitCheck, rateLimit } from './rate-limit.ts';
import { createRefuse, waitInWords, windowInWords } from './refusal.ts';

/** The limits as the HTTP layer mounts them; each lets everything through when its setting is 0. */
export interface HttpLimits {
  /** Per address, on every sign-in route (before the route reads the body). */
  signIn: MiddlewareHandler;
  /**
   * Per customer, once a sign-in proved who it is (a verified token, the provider's account; in demo mode the
   * pick): the refusal to answer with, or undefined. Never counted on an unverified claim, so nobody can
   * lock a customer out by naming them.
   */
  customerSignIn(c: Context, customerId: number): Promise<Response | undefined>;
  /** Per address, per customer, and the daily budget: after the customer's session, before a turn starts. */
  turn: MiddlewareHandler;
}

export interface Limits {
  http: HttpLimits;
  /** Charges the customer of the running turn for each call (identity when there is no budget). */
  model(model: ChatModel): ChatModel;
  /** Puts each turn's customer in scope for `model` (identity when there is no budget). */
  tracing(tracing: AgentTracing): AgentTracing;
}

export interface LimitsOptions {
  log: (line: string) => void;
  meter: Meter;
  clock: () => Date;
  /** Where the counters live (opened and closed by the composition root, shared with one-time sign-in tokens). */
  backend: LimiterBackend;
}

const pass: MiddlewareHandler = async function unlimited(_c, next) {
  await next();
};

/** Every abuse limit from the config, on the backend the host's state is on. */
export function createLimits(config: Config, { log, meter, clock, backend }: LimitsOptions): Limits {
  const settings = config.limits;
  const refuse = createRefuse(meter);
  const window = windowInWords(settings.windowSeconds);
  const ipOf = (c: Parameters<MiddlewareHandler>[0]) => clientIp(c, settings.trustedProxies);
  const perWindow = (name: string, points: number) => backend.limiter({ name, points, durationSeconds: settings.windowSeconds });
  const tryAgain = (seconds: number) => `Please wait ${waitInWords(seconds)} and try again.`;

  const signIn =
    settings.signInsPerIp > 0
      ? rateLimit({
          limiter: perWindow(LIMIT.signInsPerIp, settings.signInsPerIp),
          limit: LIMIT.signInsPerIp,
          key: ipOf,
          message: (s) => `Too many sign-in attempts from your network (at most ${settings.signInsPerIp} in ${window}). ${tryAgain(s)}`,
          refuse,
          log,
        })
      : pass;
  const signInsPerCustomer =
    settings.signInsPerCustomer > 0
      ? limitCheck({
          limiter: perWindow(LIMIT.signInsPerCustomer, settings.signInsPerCustomer),
          limit: LIMIT.signInsPerCustomer,
          message: (s) => `Too many sign-ins to this account (at most ${settings.signInsPerCustomer} in ${window}). ${tryAgain(s)}`,
          refuse,
          log,
        })
      : undefined;
  const messagesPerIp =
    settings.messagesPerIp > 0
      ? rateLimit({
          limiter: perWindow(LIMIT.messagesPerIp, settings.messagesPerIp),
          limit: LIMIT.messagesPerIp,
          key: ipOf,
          message: (s) => `Too many messages from your network (at most ${settings.messagesPerIp} in ${window}). ${tryAgain(s)}`,
          refuse,
          log,
        })
      : pass;
  const messagesPerCustomer =
    settings.messagesPerCustomer > 0
      ? rateLimit({
          limiter: perWindow(LIMIT.messagesPerCustomer, settings.messagesPerCustomer),
          limit: LIMIT.messagesPerCustomer,
          key: (c) => String(c.get('customerId')),
          message: (s) => `You are sending messages faster than the assistant answers them (at most ${settings.messagesPerCustomer} in ${window}). ${tryAgain(s)}`,
          refuse,
          log,
        })
      : pass;
  const budget =
    settings.dailyBudgetUsd > 0
      ? createBudget({
          limiter: backend.limiter({
            name: LIMIT.dailyBudget,
            points: Math.round(settings.dailyBudgetUsd * MICRO_USD),
            durationSeconds: BUDGET_ROW_SECONDS,
          }),
          dailyUsd: settings.dailyBudgetUsd,
          clock,
          refuse,
          log,
        })
      : undefined;
  const charging = budget ? createCharging(budget.charge) : undefined;

  return {
    // The budget first: a customer refused for the day should not also use up their message allowance.
    http: {
      signIn,
      customerSignIn: async (c, customerId) => signInsPerCustomer?.(c, String(customerId)),
      turn: every(budget?.check ?? pass, messagesPerIp, messagesPerCustomer),
    },
    model: (model) => charging?.model(model) ?? model,
    tracing: (tracing) => charging?.tracing(tracing) ?? tracing,
  };
}
