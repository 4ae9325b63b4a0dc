import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { ADMIN_TOKEN, useTestHost } from '../testing/host-harness.ts';
import { ledgerRows } from '../testing/ledger.ts';

const env = useTestHost();

function chat(args: string[], input: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./chat.ts', import.meta.url)), '--url', env.host.url, ...args]);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stdin.end(input);
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}

it('chats in the terminal and lets an admin approve a refund there', async () => {
  const { code, output } = await chat(
    ['--customer', '1', '--admin-token', ADMIN_TOKEN],
    'What albums does AC/DC have?\nI want a refund for invoice 98 because I bought it twice\na\ny\nbought twice\nquit\n',
  );
  expect(code).toBe(0);
  expect(output).toContain('Signed in as Luís Gonçalves · model: offline demo model');
  expect(output).toContain('[Music Expert]');
  expect(output).toContain('Let There Be Rock');
  expect(output).toContain("Requesting a refund for invoice 98…");
  expect(output).toMatch(/refund of \$3\.98 for invoice 98 was approved/);
  expect(output).toContain('admin> Refund of invoice 98 ($3.98)');
  expect(ledgerRows(env.data.dir)).toEqual([expect.objectContaining({ invoice_id: 98, customer_id: 1, approver_note: 'bought twice' })]);
});

it('says clearly when the host is not running', async () => {
  const child = await new Promise<{ code: number | null; output: string }>((resolve) => {
    const proc = spawn(process.execPath, [fileURLToPath(new URL('./chat.ts', import.meta.url)), '--url', 'http://127.0.0.1:9']);
    let output = '';
    proc.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    proc.stdin.end();
    proc.on('close', (code) => resolve({ code, output }));
  });
  expect(child.code).toBe(1);
  expect(child.output).toMatch(/Cannot reach http:\/\/127\.0\.0\.1:9 .*pnpm start/);
});
