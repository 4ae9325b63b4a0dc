// `pnpm chat`: the seed's terminal chat, against a running host. Node's readline is all the prompt we need.
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { fieldProblem, parseForm } from '@algorhythm/web/elicitation-form';
import { AGENT_LABEL, type AgentName, type Approval, type FormContent } from '@algorhythm/web/schemas';
import { readSse } from './sse-client.ts';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:8080' },
    customer: { type: 'string', default: '16' },
    'admin-token': { type: 'string' },
  },
});
const base = values.url!.replace(/\/$/, '');
const adminToken = values['admin-token'];
const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
// One line iterator for every prompt, so piped input (a script, a test) is read line by line too.
const lines = rl[Symbol.asyncIterator]();
async function ask(prompt: string): Promise<string | undefined> {
  process.stdout.write(prompt);
  const next = await lines.next();
  return next.done ? undefined : String(next.value);
}

async function api(path: string, init: RequestInit & { cookie?: string } = {}) {
  const headers = new Headers(init.headers);
  if (init.cookie) headers.set('cookie', init.cookie);
  if (init.body) headers.set('content-type', 'application/json');
  return fetch(`${base}${path}`, { ...init, headers });
}

const login = await api('/api/login', { method: 'POST', body: JSON.stringify({ customerId: Number(values.customer) }) }).catch(
  (error: Error) => {
    console.error(`Cannot reach ${base} (${error.message}). Start the app with \`pnpm start\` first.`);
    process.exit(1);
  },
);
if (!login.ok) {
  console.error(`Sign-in failed: ${((await login.json()) as { error: string }).error}`);
  process.exit(1);
}
const cookie = (login.headers.getSetCookie()[0] ?? '').split(';')[0]!;
const { customer } = (await login.json()) as { customer: { name: string } };
const session = (await (await api('/api/session', { cookie })).json()) as { model: { label: string } };
console.log(`Signed in as ${customer.name} · model: ${session.model.label}. Type 'quit' to leave.\n`);

let conversationId: string | undefined;
for (;;) {
  const line = await ask('you> ');
  if (line === undefined) break;
  const message = line.trim();
  if (!message) continue;
  if (['quit', 'exit', 'q'].includes(message.toLowerCase())) break;
  const response = await api('/api/chat', {
    method: 'POST',
    cookie,
    body: JSON.stringify({ message, ...(conversationId ? { conversationId } : {}) }),
  });
  if (!response.ok) {
    console.log(`error: ${((await response.json()) as { error: string }).error}`);
    continue;
  }
  let pending: { id: string } | undefined;
  await readSse(response, (event, data) => {
    const d = data as Record<string, string>;
    if (event === 'conversation') conversationId = d.id;
    if (event === 'route') process.stdout.write(`[${AGENT_LABEL[d.agent as AgentName] ?? d.agent}] `);
    if (event === 'tool' && d.status === 'started') process.stdout.write(`\n  · ${d.summary}\n`);
    if (event === 'delta') process.stdout.write(d.text ?? '');
    if (event === 'approval' && d.status === 'pending') pending = { id: d.id! };
    if (event === 'error') process.stdout.write(`\nerror: ${d.message}`);
  });
  process.stdout.write('\n\n');
  if (pending && adminToken) await decide(pending.id);
}
rl.close();

/** The admin's side in the terminal: the request's form, field by field, from its schema. */
async function decide(approvalId: string) {
  const admin = { authorization: `Bearer ${adminToken}` };
  const listed = (await (await api('/api/admin/approvals?status=pending', { headers: admin })).json()) as { approvals: Approval[] };
  const approval = listed.approvals.find((a) => a.id === approvalId);
  if (!approval) return;
  console.log(`admin> ${approval.elicitation.summary?.title ?? 'Approval needed'}\nadmin> ${approval.elicitation.message}`);
  const choice = ((await ask('admin> [a]nswer / [d]ecline / [c]ancel / [l]ater: ')) ?? '').trim().toLowerCase();
  const answer = choice.startsWith('a') ? await fillIn(approval) : choice.startsWith('d') ? { action: 'decline' } : choice.startsWith('c') ? { action: 'cancel' } : undefined;
  if (!answer) return;
  const events = await api(`/api/conversations/${conversationId}/events`, { cookie });
  const decided = await api(`/api/admin/approvals/${approvalId}/decision`, { method: 'POST', headers: admin, body: JSON.stringify(answer) });
  if (!decided.ok) {
    console.log(`error: ${((await decided.json()) as { error: string }).error}`);
    return;
  }
  await readSse(events, (event, data) => {
    const d = data as Record<string, string>;
    if (event === 'delta') process.stdout.write(d.text ?? '');
    return event === 'done' || event === 'error' ? 'stop' : undefined;
  });
  process.stdout.write('\n\n');
}

async function fillIn(approval: Approval): Promise<{ action: 'accept'; content: FormContent } | undefined> {
  const form = parseForm(approval.elicitation.requestedSchema);
  if (form.type === 'unsupported') {
    console.log(`admin> this form cannot be filled in here: ${form.reason}`);
    return undefined;
  }
  const content: FormContent = {};
  for (const field of form.fields) {
    for (;;) {
      const hint = field.kind === 'boolean' ? ' [y/n]' : field.kind === 'enum' ? ` (${field.options.map((o) => o.value).join('/')})` : '';
      const raw = ((await ask(`admin> ${field.label}${field.required ? '' : ' (optional)'}${hint}: `)) ?? '').trim();
      const value = raw === '' ? undefined : field.kind === 'boolean' ? /^y/i.test(raw) : field.kind === 'number' ? Number(raw) : raw;
      const problem = fieldProblem(field, value);
      if (!problem) {
        if (value !== undefined) content[field.name] = value;
        break;
      }
      console.log(`admin> ${problem}`);
    }
  }
  return { action: 'accept', content };
}
