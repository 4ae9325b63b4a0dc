import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { InvalidCustomerTokenError, mintCustomerToken, TOKEN_AUDIENCE, verifyCustomerToken } from './customer-token.ts';

const secret = 'test-secret-test-secret-test-secret-0123';

describe('customer tokens', () => {
  it('round-trip the customer id and expiry', async () => {
    const now = new Date('2026-03-01T00:00:00Z');
    const token = await mintCustomerToken({ customerId: 16, secret, ttlSeconds: 600, now });
    const claims = await verifyCustomerToken(token, secret, { now: new Date('2026-03-01T00:05:00Z') });
    expect(claims).toEqual({ customerId: 16, expiresAt: now.getTime() / 1000 + 600 });
  });

  it('refuse expired, foreign-secret, tampered and wrong-audience tokens', async () => {
    const expired = await mintCustomerToken({ customerId: 1, secret, ttlSeconds: 60, now: new Date(Date.now() - 3_600_000) });
    await expect(verifyCustomerToken(expired, secret)).rejects.toThrow(/expired/);
    const foreign = await mintCustomerToken({ customerId: 1, secret: `${secret}-other` });
    await expect(verifyCustomerToken(foreign, secret)).rejects.toBeInstanceOf(InvalidCustomerTokenError);
    const good = await mintCustomerToken({ customerId: 1, secret });
    const [header, payload, signature] = good.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), sub: '2' }));
    await expect(verifyCustomerToken(`${header}.${forged.toString('base64url')}.${signature}`, secret)).rejects.toBeInstanceOf(
      InvalidCustomerTokenError,
    );
    const key = new TextEncoder().encode(secret);
    const otherAudience = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('1')
      .setAudience('someone-else').setIssuer('algorhythm-agent-host').setExpirationTime('5m').sign(key);
    await expect(verifyCustomerToken(otherAudience, secret)).rejects.toBeInstanceOf(InvalidCustomerTokenError);
    const badSubject = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('1 OR 1=1')
      .setAudience(TOKEN_AUDIENCE).setIssuer('algorhythm-agent-host').setExpirationTime('5m').sign(key);
    await expect(verifyCustomerToken(badSubject, secret)).rejects.toThrow(/not a customer id/);
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
    await expect(verifyCustomerToken(unsigned, secret)).rejects.toBeInstanceOf(InvalidCustomerTokenError);
    await expect(verifyCustomerToken('not a token', secret)).rejects.toBeInstanceOf(InvalidCustomerTokenError);
  });

  it('refuse short secrets and bad customer ids at mint time', async () => {
    await expect(mintCustomerToken({ customerId: 1, secret: 'short' })).rejects.toThrow(/at least 32 bytes/);
    await expect(mintCustomerToken({ customerId: 0, secret })).rejects.toThrow(/positive integer/);
    await expect(mintCustomerToken({ customerId: 1.5, secret })).rejects.toThrow(/positive integer/);
  });
});
