import type { McpServer } from '@modelcontextprotocol/server';
import { defineTool, okResult, ToolError } from '@algorhythm/mcp-kit/tools';
import { z } from 'zod';
import { requireCustomer } from '../customers/customer-binding.ts';
import type { SupportStore } from '../store/support-store.ts';
import type { ToolDeps } from './deps.ts';

export const GetCustomerProfileInput = z.object({}).strict();

/** Chinook leaves these empty for some customers. */
const optionalText = (description: string) => z.string().nullable().describe(description);

export const CustomerProfile = z.object({
  firstName: z.string().describe('Given name'),
  lastName: z.string().describe('Family name'),
  email: z.string().describe('Email address on file'),
  phone: optionalText('Phone number, if any'),
  company: optionalText('Company, if any'),
  address: optionalText('Street address'),
  city: optionalText('City'),
  state: optionalText('State or province'),
  country: optionalText('Country'),
  postalCode: optionalText('Postal code'),
});
export type CustomerProfile = z.infer<typeof CustomerProfile>;

/** The connected customer's own contact details; no internal ids (customer, support rep) leave here. */
export async function getCustomerProfile(store: SupportStore, customerId: number): Promise<CustomerProfile | undefined> {
  const row = await store.findCustomer(customerId);
  if (!row) return undefined;
  const { customerId: _id, ...profile } = row;
  return profile;
}

export function formatProfile(p: CustomerProfile): string {
  const place = [p.address, p.city, p.state, p.country, p.postalCode].filter(Boolean).join(', ');
  return [
    `${p.firstName} ${p.lastName}`,
    `Email: ${p.email}`,
    `Phone: ${p.phone ?? 'not on file'}`,
    p.company ? `Company: ${p.company}` : undefined,
    `Address: ${place || 'not on file'}`,
  ]
    .filter(Boolean)
    .join('\n');
}

export function registerGetCustomerProfileTool(server: McpServer, deps: ToolDeps): void {
  defineTool(
    server,
    {
      name: 'get_customer_profile',
      title: 'Get customer profile',
      description:
        "Returns the signed-in customer's own profile: name, email, phone, company and postal address. " +
        'Takes no arguments: the customer is fixed by the connection.',
      inputSchema: GetCustomerProfileInput,
      outputSchema: CustomerProfile,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async (_input, ctx) => {
      const customerId = requireCustomer(deps.resolveCustomer, ctx);
      const profile = await getCustomerProfile(deps.store, customerId);
      if (!profile) throw new ToolError('The customer bound to this connection no longer exists.');
      return okResult(profile, formatProfile(profile));
    },
    deps,
  );
}
