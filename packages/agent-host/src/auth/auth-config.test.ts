import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';

const base = { DATA_DIR: '/tmp/algorhythm-auth-config' };
const oidcCustomer = {
  CUSTOMER_AUTH: 'oidc',
  CUSTOMER_OIDC_ISSUER: 'https://id.shop.example',
  CUSTOMER_OIDC_CLIENT_ID: 'chat',
  CUSTOMER_OIDC_CLIENT_SECRET: 'secret',
  PUBLIC_URL: 'https://chat.shop.example',
};

describe('sign-in configuration', () => {
  it('is the labelled demo mode with no settings', () => {
    expect(loadConfig(base).auth).toEqual({ customer: { mode: 'demo' }, admin: { mode: 'token' } });
  });

  it('refuses real-mode settings left beside the demo mode, which would leave the picker open by accident', () => {
    expect(() => loadConfig({ ...base, STORE_JWKS_URL: 'https://shop.example/jwks.json' })).toThrow(/STORE_JWKS_URL set but CUSTOMER_AUTH is demo/);
    expect(() => loadConfig({ ...base, CUSTOMER_OIDC_ISSUER: 'https://id.example' })).toThrow(/CUSTOMER_AUTH is demo/);
    expect(() => loadConfig({ ...base, ADMIN_OIDC_CLIENT_ID: 'admin' })).toThrow(/ADMIN_AUTH is token/);
  });

  it('names what a half-configured real mode is missing', () => {
    expect(() => loadConfig({ ...base, CUSTOMER_AUTH: 'store-token', STORE_JWKS_URL: 'https://shop.example/jwks.json' })).toThrow(
      'CUSTOMER_AUTH=store-token needs STORE_TOKEN_ISSUER, STORE_TOKEN_AUDIENCE.',
    );
    expect(() => loadConfig({ ...base, ...oidcCustomer, PUBLIC_URL: '' })).toThrow(/needs PUBLIC_URL/);
    expect(() => loadConfig({ ...base, ADMIN_AUTH: 'oidc' })).toThrow(/ADMIN_AUTH=oidc needs ADMIN_OIDC_ISSUER/);
    expect(() => loadConfig({ ...base, CUSTOMER_AUTH: 'password' })).toThrow(/CUSTOMER_AUTH/);
  });

  it('builds redirect URIs from PUBLIC_URL and defaults the claims', () => {
    const { customer } = loadConfig({ ...base, ...oidcCustomer }).auth;
    expect(customer).toMatchObject({ mode: 'oidc', customerClaim: 'email', clientId: 'chat' });
    expect(customer.mode === 'oidc' && customer.redirectUri.href).toBe('https://chat.shop.example/auth/callback');
  });
});
