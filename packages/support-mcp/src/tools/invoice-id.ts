import { ToolError } from '@algorhythm/mcp-kit/tools';
import { z } from 'zod';

/** Largest invoice number accepted: SQLite INTEGER ids in Chinook are small; anything past int32 is noise. */
export const MAX_INVOICE_ID = 2_147_483_647;

export const invoiceIdSchema = () =>
  z
    .number({ error: 'invoice_id must be a number (the invoice number, e.g. 98)' })
    .int({ error: 'invoice_id must be a whole number' })
    .positive({ error: 'invoice_id must be a positive invoice number' })
    .max(MAX_INVOICE_ID, { error: `invoice_id must be at most ${MAX_INVOICE_ID}` });

export const invoiceNotFound = (invoiceId: number) => new ToolError(`Invoice ${invoiceId} was not found on your account.`);
