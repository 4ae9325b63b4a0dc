import { ToolError } from '@algorhythm/mcp-kit/tools';
import { z } from 'zod';

/** Longest reason a customer may give for an approval-gated change (the ledgers' CHECK constraints agree). */
export const MAX_REASON_LENGTH = 500;

/** The optional `reason` argument of an approval-gated tool; `what` finishes "Why the customer asks for …". */
export const reasonSchema = (what: string) =>
  z
    .string({ error: 'reason must be text' })
    .max(MAX_REASON_LENGTH, { error: `reason must be at most ${MAX_REASON_LENGTH} characters` })
    .optional()
    .describe(`Why the customer asks for ${what}, in their words (at most ${MAX_REASON_LENGTH} characters)`);

/** Trimmed reason or null; refuses control characters (other than newline and tab). */
export function normalizeReason(reason: string | undefined): string | null {
  if (reason === undefined) return null;
  if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(reason)) {
    throw new ToolError('reason must be plain text without control characters.');
  }
  const trimmed = reason.trim();
  return trimmed === '' ? null : trimmed;
}
