import { describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, TestClient, useTestHost } from '../testing/host-harness.ts';
import { waitForReady } from '../testing/wait.ts';

const env = useTestHost();

describe('health', () => {
  it('answers healthz and readyz with every dependency checked', async () => {
    const client = new TestClient(env.host.url);
    expect((await client.json('/healthz')).body).toEqual({ status: 'ok' });
    expect(await waitForReady(env.host.url)).toEqual({ database: 'ok', events: 'ok', catalog: 'ok', support: 'ok' });
    expect((await client.json('/readyz')).body).toEqual({ status: 'ready', checks: { database: 'ok', events: 'ok', catalog: 'ok', support: 'ok' } });
  });
});

describe('sign-in', () => {
  it('lists demo customers, signs one in, and reports the offline model', async () => {
    const client = new TestClient(env.host.url);
    const customers = await client.json<{ customers: Array<{ id: number; name: string }> }>('/api/demo/customers');
    expect(customers.body.customers).toHaveLength(59);
    expect(customers.body.customers).toContainEqual({ id: 16, name: 'Frank Harris', country: 'USA' });

    expect((await client.json('/api/session')).body).toEqual({
      customer: null,
      model: { label: 'offline demo model', offline: true },
      signIn: 'demo',
    });
    const login = await client.login(16);
    expect(login).toEqual({ status: 200, body: { customer: { name: 'Frank Harris' } } });
    expect(client.cookie).toMatch(/^algorhythm_session=/);
    expect((await client.json('/api/session')).body).toMatchObject({ customer: { name: 'Frank Harris' } });

    await client.json('/api/logout', { method: 'POST' });
    expect((await client.json('/api/session')).body).toMatchObject({ customer: null });
  });

  it('refuses unknown customers and bad bodies', async () => {
    const client = new TestClient(env.host.url);
    expect((await client.login(999)).status).toBe(404);
    const malformed = await client.json('/api/login', { method: 'POST', body: '{"customerId":' });
    expect(malformed).toEqual({ status: 400, body: { error: 'Malformed JSON body.' } });
    const wrongType = await client.json('/api/login', { method: 'POST', body: JSON.stringify({ customerId: '1 OR 1=1' }) });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error).toMatch(/customerId/);
  });
});

describe('customer routes', () => {
  const routes: Array<[string, string, unknown?]> = [
    ['POST', '/api/chat', { message: 'hi' }],
    ['GET', '/api/conversations'],
    ['GET', '/api/conversations/00000000-0000-4000-8000-000000000000'],
    ['GET', '/api/conversations/00000000-0000-4000-8000-000000000000/events'],
  ];

  it.each(routes)('%s %s without a session is 401', async (method, path, body) => {
    const response = await fetch(`${env.host.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'Sign in first.' });
  });

  it.each(routes)('%s %s with a forged cookie is 401', async (method, path, body) => {
    const response = await fetch(`${env.host.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', cookie: 'algorhythm_session=1.9999999999.forgedsignature' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    expect(response.status).toBe(401);
  });

  it('rejects malformed, empty and oversize chat messages without touching anything', async () => {
    const client = new TestClient(env.host.url);
    await client.login(16);
    const before = (await client.json<{ conversations: unknown[] }>('/api/conversations')).body.conversations.length;
    const post = (body: string) => client.json('/api/chat', { method: 'POST', body, headers: { accept: 'application/json' } });

    expect((await post('not json')).status).toBe(400);
    expect((await post(JSON.stringify({ message: '   ' }))).status).toBe(400);
    expect((await post(JSON.stringify({ message: 'x'.repeat(8 * 1024 + 1) }))).status).toBe(413);
    expect((await post(JSON.stringify({ message: 'x'.repeat(100 * 1024) }))).status).toBe(413);
    const smuggled = await post(JSON.stringify({ message: 'hi', customerId: 1 }));
    expect(smuggled.status).toBe(400);
    expect(smuggled.body.error).toMatch(/customerId/);
    expect((await post(JSON.stringify({ message: 'hi' }))).status).toBe(200);
    expect((await post(JSON.stringify({ message: 'hi', conversationId: 'nope' }))).status).toBe(400);
    expect(
      (await post(JSON.stringify({ message: 'hi', conversationId: '00000000-0000-4000-8000-000000000000' }))).status,
    ).toBe(404);

    const after = (await client.json<{ conversations: unknown[] }>('/api/conversations')).body.conversations.length;
    expect(after).toBe(before + 1);
  });

  it('answers unknown API paths with JSON 404', async () => {
    expect(await (await fetch(`${env.host.url}/api/nothing-here`)).json()).toEqual({ error: 'Not found.' });
  });
});

describe('admin routes', () => {
  const adminRoutes: Array<[string, string, unknown?]> = [
    ['GET', '/api/admin/approvals'],
    ['GET', '/api/admin/approvals/events'],
    ['POST', '/api/admin/approvals/some-id/decision', { decision: 'approve' }],
  ];

  it.each(adminRoutes)('%s %s needs the admin token', async (method, path, body) => {
    const customer = new TestClient(env.host.url);
    await customer.login(1);
    const attempts: Array<Record<string, string>> = [{}, { authorization: 'Bearer wrong-token-wrong-token' }, { authorization: 'Basic abc' }];
    for (const headers of attempts) {
      const response = await customer.request(path, { method, headers, ...(body ? { body: JSON.stringify(body) } : {}) });
      expect(response.status).toBe(401);
      expect(await response.json()).toHaveProperty('error');
    }
  });

  it('signs an admin in with the token as its service identity (a typed name is not who decides) and sets an HttpOnly cookie', async () => {
    const admin = new TestClient(env.host.url);
    expect((await admin.json('/api/admin/login', { method: 'POST', body: JSON.stringify({ token: 'nope' }) })).status).toBe(401);
    const response = await admin.request('/api/admin/login', {
      method: 'POST',
      body: JSON.stringify({ token: ADMIN_TOKEN, name: 'Dana' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    expect((await admin.json('/api/admin/session')).body).toEqual({ admin: { subject: 'service:admin-token', name: 'Admin token' } });
    expect((await admin.json('/api/admin/approvals?status=pending')).status).toBe(200);
    expect((await admin.json('/api/admin/approvals?status=bogus')).status).toBe(400);
  });

  it('answers a decision on an unknown approval with 404 and a bad decision with 400', async () => {
    const headers = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
    const unknown = await fetch(`${env.host.url}/api/admin/approvals/unknown/decision`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ action: 'decline' }),
    });
    expect(unknown.status).toBe(404);
    const bad = await fetch(`${env.host.url}/api/admin/approvals/unknown/decision`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ action: 'maybe' }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: expect.stringMatching(/^Invalid request: action/) });
  });
});
