import { describe, expect, it } from 'vitest';
import { emailAddressSchema, normalizeEmail, sameAddress } from './email-address.ts';

describe('email addresses', () => {
  it('accepts plain addresses, trimmed, up to the 60 characters of Customer.Email', () => {
    const schema = emailAddressSchema();
    expect(schema.parse('  Ann.Lee+music@Example.COM \n')).toBe('Ann.Lee+music@Example.COM');
    expect(schema.parse(`${'a'.repeat(48)}@example.com`)).toHaveLength(60);
    for (const bad of ['', 'ann', 'ann@', '@example.com', 'ann@example', 'a b@example.com', 'ann@@example.com', `${'a'.repeat(49)}@example.com`, 'ann@exämple.com', 42]) {
      expect(schema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('lowercases the domain only, and compares addresses that way', () => {
    expect(normalizeEmail('Ann.Lee@Example.COM')).toBe('Ann.Lee@example.com');
    expect(sameAddress('ann@EXAMPLE.com', 'ann@example.com')).toBe(true);
    expect(sameAddress('Ann@example.com', 'ann@example.com')).toBe(false);
  });
});
