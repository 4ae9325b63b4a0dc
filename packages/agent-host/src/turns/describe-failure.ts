import { ModelError } from '../model/types.ts';

/** What the customer reads when a turn fails: never the internal reason. */
export function describeFailure(error: unknown): string {
  if (error instanceof ModelError) {
    if (error.kind === 'rate_limit') return 'The assistant is busy right now (rate limited). Please try again in a moment.';
    if (error.kind === 'timeout') return 'The assistant took too long to answer. Please try again.';
    if (error.kind === 'auth') return 'The assistant is not configured correctly (the model provider refused our credentials).';
    return 'The assistant could not answer just now. Please try again.';
  }
  return 'Something went wrong while answering. Please try again.';
}
