// Every customer and admin route of the HTTP API against missing, forged, foreign-key, tampered, expired
// (validly signed) and swapped credentials, and customer 16 against customer 1's conversation and approval.
// All refused with the documented status, no body carries anything of customer 1, and afterwards customer 1's
// conversation and pending approval are exactly as they were. (api.test.ts covers no session, one forged
// cookie and wrong admin tokens; this goes past it.)
import { serializeSigned } from 'hono/utils/cookie';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHost } from '../compose.ts';
import { ADMIN_COOKIE } from '../http/middleware/admin-auth.ts';
import { SESSION_COOKIE } from '../http/middleware/customer-session.ts';
import { ADMIN_TOKEN, admin, makeDataDir, startTestHost, TestClient } from '../testing/host-harness.ts';
import { ledgerRows } from '../testing/ledger.ts';
import { foreignDataFor, type ForeignData } from './foreign-data.ts';
import { purposeKey } from '../secrets.ts';

const SECRET = 'evidence-session-secret-0123456789-abcdef';
const OTHER_SECRET = 'another-secret-nobody-here-uses-0123456789';
const VICTIM = 1;
const ATTACKER = 16;

let host: RunningHost;
let data: ReturnType<typeof makeDataDir>;
let foreign: ForeignData;
let victim: TestClient;
let attacker: TestClient;
let victimConversation: string;
let victimApproval: string;
let victimView: unknown;

const now = () => Math.floor(Date.now() / 1000);
// The host signs each cookie with a key derived for its purpose; a test cookie is valid only when signed the same way.
const ADMIN_VALUE = `${Buffer.from('service:admin-token').toString('base64url')}.${Buffer.from('Admin token').toString('base64url')}`;
const keyFor = (name: string) => purposeKey(SECRET, name === ADMIN_COOKIE ? 'admin-session' : 'customer-session');
const cookie = async (name: string, value: string, secret = keyFor(name)) => (await serializeSigned(name, value, secret)).split(';')[0]!;

beforeAll(async () => {
  data = makeDataDir();
  host = await startTestHost(data.dir, { SESSION_SECRET: SECRET });
  foreign = foreignDataFor(data.dir, ATTACKER);
  victim = new TestClient(host.url);
  await victim.login(VICTIM);
  const { events, done } = await victim.chat('I want a refund for invoice 98 because it was a duplicate');
  victimConversation = String(done.conversationId);
  victimApproval = String(events.find((e) => e.event === 'approval')?.data.id);
  expect(victimApproval).toMatch(/^[0-9a-f-]{36}$/);
  victimView = (await victim.json(`/api/conversations/${victimConversation}`)).body;
  attacker = new TestClient(host.url);
  await attacker.login(ATTACKER);
  await attacker.chat('hello');
});
afterAll(async () => {
  await host?.close();
  data?.remove();
});

/** Sends a request with exactly these headers (no client cookie jar) and returns status and body text. */
async function send(method: string, path: string, headers: Record<string, string>, body?: unknown) {
  const response = await fetch(`${host.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, text: await response.text() };
}

function expectNothingOfTheVictim(text: string) {
  expect(foreign.find(text)).toBeUndefined();
  expect(text).not.toContain(victimApproval);
  expect(text).not.toMatch(/duplicate|Invoice 98|\$3\.98/);
}

const customerRoutes = (): Array<[string, string, unknown?]> => [
  ['POST', '/api/chat', { message: 'show me everything', conversationId: victimConversation }],
  ['POST', '/api/chat', { message: 'show me everything' }],
  ['GET', '/api/conversations'],
  ['GET', `/api/conversations/${victimConversation}`],
  ['GET', `/api/conversations/${victimConversation}/events`],
];

const adminRoutes = (): Array<[string, string, unknown?]> => [
  ['GET', '/api/admin/session'],
  ['GET', '/api/admin/approvals'],
  ['GET', '/api/admin/approvals?status=pending'],
  ['GET', '/api/admin/approvals/events'],
  ['POST', `/api/admin/approvals/${victimApproval}/decision`, { decision: 'approve', note: 'forged' }],
];

/** Credentials that must not make anyone a customer. */
const badSessions = async (): Promise<Array<[string, Record<string, string>]>> => {
  const valid = (await cookie(SESSION_COOKIE, `${ATTACKER}.${now() + 3600}`)).split('=')[1]!;
  const [, signature] = decodeURIComponent(valid).split(/\.(?=[^.]*$)/);
  return [
    ['no cookie', {}],
    ['garbage cookie', { cookie: `${SESSION_COOKIE}=garbage` }],
    ['forged signature', { cookie: `${SESSION_COOKIE}=${VICTIM}.${now() + 3600}.${'A'.repeat(43)}=` }],
    ['signed with another secret', { cookie: await cookie(SESSION_COOKIE, `${VICTIM}.${now() + 3600}`, OTHER_SECRET) }],
    ['expired, validly signed', { cookie: await cookie(SESSION_COOKIE, `${VICTIM}.${now() - 60}`) }],
    ['signed with the admin cookie key', { cookie: await cookie(SESSION_COOKIE, `${VICTIM}.${now() + 3600}`, keyFor(ADMIN_COOKIE)) }],
    ['signed with the raw session secret', { cookie: await cookie(SESSION_COOKIE, `${VICTIM}.${now() + 3600}`, SECRET) }],
    ['customer id swapped under a valid signature', { cookie: `${SESSION_COOKIE}=${encodeURIComponent(`${VICTIM}.${now() + 3600}.${signature}`)}` }],
    ['admin cookie value under the session name', { cookie: await cookie(SESSION_COOKIE, `${now() + 3600}.${ADMIN_VALUE}`) }],
    ['admin bearer token instead of a session', { authorization: `Bearer ${ADMIN_TOKEN}` }],
    ['customer id in headers', { 'x-customer-id': String(VICTIM), 'x-forwarded-user': String(VICTIM) }],
  ];
};

/** Credentials that must not make anyone an admin. */
const badAdmins = async (): Promise<Array<[string, Record<string, string>]>> => [
  ['nothing', {}],
  ['a valid customer session', { cookie: attacker.cookie }],
  ['token with a byte more', { authorization: `Bearer ${ADMIN_TOKEN}x` }],
  ['token with a byte less', { authorization: `Bearer ${ADMIN_TOKEN.slice(0, -1)}` }],
  ['empty bearer', { authorization: 'Bearer ' }],
  ['token as Basic credentials', { authorization: `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}` }],
  ['token in a query-like header', { 'x-admin-token': ADMIN_TOKEN }],
  ['forged admin cookie', { cookie: `${ADMIN_COOKIE}=${now() + 3600}.admin.${'A'.repeat(43)}=` }],
  ['admin cookie signed with another secret', { cookie: await cookie(ADMIN_COOKIE, `${now() + 3600}.${ADMIN_VALUE}`, OTHER_SECRET) }],
  ['expired admin cookie, validly signed', { cookie: await cookie(ADMIN_COOKIE, `${now() - 60}.${ADMIN_VALUE}`) }],
  ['admin cookie signed with the customer session key', { cookie: await cookie(ADMIN_COOKIE, `${now() + 3600}.${ADMIN_VALUE}`, keyFor(SESSION_COOKIE)) }],
  ['customer session value under the admin name', { cookie: await cookie(ADMIN_COOKIE, `${ATTACKER}.${now() + 3600}`) }],
  ['valid admin cookie but a wrong bearer header', { cookie: await cookie(ADMIN_COOKIE, `${now() + 3600}.${ADMIN_VALUE}`), authorization: 'Bearer nope-nope-nope-nope' }],
];

describe('customer routes refuse every credential that is not a valid session', () => {
  it('(control: a cookie minted the same way but valid and unexpired is accepted)', async () => {
    const { status } = await send('GET', '/api/conversations', { cookie: await cookie(SESSION_COOKIE, `${ATTACKER}.${now() + 3600}`) });
    expect(status).toBe(200);
  });

  it('answers 401 "Sign in first." on every route for every bad credential, leaking nothing', async () => {
    const cases = await badSessions();
    for (const [label, headers] of cases) {
      for (const [method, path, body] of customerRoutes()) {
        const { status, text } = await send(method, path, headers, body);
        expect({ label, method, path, status, text }).toEqual({ label, method, path, status: 401, text: '{"error":"Sign in first."}' });
      }
      const session = await send('GET', '/api/session', headers);
      expect(JSON.parse(session.text)).toMatchObject({ customer: null });
    }
  });
});

describe('admin routes refuse every credential that is not the admin token or a valid admin cookie', () => {
  it('(control: a valid admin cookie minted the same way is accepted)', async () => {
    const { status } = await send('GET', '/api/admin/approvals', { cookie: await cookie(ADMIN_COOKIE, `${now() + 3600}.${ADMIN_VALUE}`) });
    expect(status).toBe(200);
  });

  it('answers 401 on every admin route for every bad credential, leaking nothing', async () => {
    for (const [label, headers] of await badAdmins()) {
      for (const [method, path, body] of adminRoutes()) {
        const { status, text } = await send(method, path, headers, body);
        expect({ label, method, path, status }).toEqual({ label, method, path, status: 401 });
        expect(JSON.parse(text)).toEqual({ error: expect.any(String) });
        expectNothingOfTheVictim(text);
      }
    }
  });

  it('path spellings do not route around the admin check', async () => {
    for (const path of ['/api/admin/approvals/', '/api//admin/approvals', '/api/admin/./approvals', '/API/admin/approvals', '/api/admin/approvals%2Fevents', '/api/admin/approvals/events/']) {
      const { status, text } = await send('GET', path, { cookie: attacker.cookie });
      expect([401, 404], `${path} answered ${status}`).toContain(status);
      expectNothingOfTheVictim(text);
    }
  });
});

describe("a signed-in customer and someone else's conversation", () => {
  const unknown = '00000000-0000-4000-8000-000000000000';

  it('reads, follows and writes to it exactly like to a conversation that does not exist', async () => {
    const attempts: Array<[string, (id: string) => string, unknown?]> = [
      ['GET', (id) => `/api/conversations/${id}`],
      ['GET', (id) => `/api/conversations/${id}/events`],
      ['POST', () => '/api/chat', (id: string) => ({ message: 'continue please', conversationId: id })],
    ];
    for (const [method, path, body] of attempts) {
      const make = (id: string) => (typeof body === 'function' ? (body as (id: string) => unknown)(id) : body);
      const foreignAnswer = await send(method, path(victimConversation), { cookie: attacker.cookie, accept: 'application/json' }, make(victimConversation));
      const missingAnswer = await send(method, path(unknown), { cookie: attacker.cookie, accept: 'application/json' }, make(unknown));
      expect(foreignAnswer).toEqual({ status: 404, text: '{"error":"Conversation not found."}' });
      expect(foreignAnswer).toEqual(missingAnswer);
    }
  });

  it('never lists it, whatever query or header names the other customer', async () => {
    const { text } = await send('GET', `/api/conversations?customerId=${VICTIM}&customer_id=${VICTIM}`, {
      cookie: attacker.cookie,
      'x-customer-id': String(VICTIM),
    });
    const listed = JSON.parse(text) as { conversations: Array<{ id: string }> };
    expect(listed.conversations.length).toBeGreaterThan(0);
    expect(listed.conversations.map((c) => c.id)).not.toContain(victimConversation);
    expectNothingOfTheVictim(text);
  });

  it("cannot sign in as the other customer by body tricks on the chat route", async () => {
    for (const body of [
      { message: 'hi', customerId: VICTIM },
      { message: 'hi', customer_id: VICTIM },
      { message: 'hi', conversationId: victimConversation, customerId: VICTIM },
    ]) {
      const { status, text } = await send('POST', '/api/chat', { cookie: attacker.cookie, accept: 'application/json' }, body);
      expect(status).toBe(400);
      expectNothingOfTheVictim(text);
    }
  });
});

describe('afterwards', () => {
  it("customer 1's conversation, pending approval and the ledger are untouched", async () => {
    expect((await victim.json(`/api/conversations/${victimConversation}`)).body).toEqual(victimView);
    const pending = (await admin(host.url).list('pending')).body.approvals;
    expect(pending).toEqual([expect.objectContaining({ id: victimApproval, status: 'pending', decidedBy: null })]);
    expect(ledgerRows(data.dir)).toEqual([]);
  });
});
