import { z } from 'zod';

/** Chinook's `Customer.Email` is NVARCHAR(60). */
export const MAX_EMAIL_LENGTH = 60;

/**
 * A new account email as a tool argument: trimmed, at most 60 characters, a plain address (zod's
 * pragmatic ASCII email pattern: no quoted local parts, no IP literals, no internationalized names).
 */
export const emailAddressSchema = () =>
  z
    .string({ error: 'new_email must be text (an email address such as name@example.com)' })
    .trim()
    .max(MAX_EMAIL_LENGTH, { error: `new_email must be at most ${MAX_EMAIL_LENGTH} characters` })
    .regex(z.regexes.email, { error: 'new_email must be an email address such as name@example.com' })
    .meta({ format: 'email' });

/** The domain is case-insensitive and stored lowercased; the local part is kept as typed. */
export function normalizeEmail(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? address : address.slice(0, at + 1) + address.slice(at + 1).toLowerCase();
}

/** Same mailbox: equal once both domains are lowercased. */
export const sameAddress = (a: string, b: string) => normalizeEmail(a) === normalizeEmail(b);
