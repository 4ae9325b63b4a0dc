// Which admin sign-in this host offers (`GET /api/auth`): the token form (demo mode) or the organisation's
// OpenID provider, whose link brings the admin back to the page they were on.
import { requestJson } from '../api/http.ts';
import { AuthResponse, type AdminSignInMode } from '../../src/api/schemas.ts';

let mode: Promise<AdminSignInMode> | undefined;

export function adminSignInMode(): Promise<AdminSignInMode> {
  mode ??= requestJson('/api/auth', AuthResponse).then((auth) => auth.admin);
  return mode;
}

/** Shows the token form or the provider's link, whichever this host uses. */
export async function showAdminSignInChoice(form: HTMLElement, oidc: HTMLElement, link: HTMLAnchorElement): Promise<void> {
  const current = await adminSignInMode();
  form.hidden = current === 'oidc';
  oidc.hidden = current !== 'oidc';
  link.href = `/auth/admin/login?returnTo=${encodeURIComponent(location.pathname + location.search)}`;
}
