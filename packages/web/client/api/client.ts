// The routes of docs/api.md the pages call, typed by the shared schemas.
import { requestJson } from './http.ts';
import {
  ApprovalsResponse,
  Approval,
  Conversation,
  DemoCustomersResponse,
  LoginResponse,
  OkResponse,
  SessionResponse,
  type AdminLoginRequest,
  type ApprovalStatus,
  type DecisionRequest,
} from '../../src/api/schemas.ts';

export const api = {
  session: () => requestJson('/api/session', SessionResponse),
  demoCustomers: () => requestJson('/api/demo/customers', DemoCustomersResponse),
  login: (customerId: number) => requestJson('/api/login', LoginResponse, { body: { customerId } }),
  logout: () => requestJson('/api/logout', OkResponse, { method: 'POST' }),
  conversation: (id: string) => requestJson(`/api/conversations/${encodeURIComponent(id)}`, Conversation),
  conversationEventsUrl: (id: string) => `/api/conversations/${encodeURIComponent(id)}/events`,

  adminLogin: (body: AdminLoginRequest) => requestJson('/api/admin/login', OkResponse, { body }),
  adminLogout: () => requestJson('/api/admin/logout', OkResponse, { method: 'POST' }),
  approvals: (status?: ApprovalStatus) =>
    requestJson(`/api/admin/approvals${status ? `?status=${status}` : ''}`, ApprovalsResponse),
  decide: (id: string, body: DecisionRequest) =>
    requestJson(`/api/admin/approvals/${encodeURIComponent(id)}/decision`, Approval, { body }),
  adminEventsUrl: '/api/admin/approvals/events',
};
