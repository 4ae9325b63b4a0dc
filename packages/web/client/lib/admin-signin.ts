// The admin sign-in of the read-only admin pages (traces, overview): the page's `#signin-view`, shown when the
// API answers 401, with the token form or the OpenID provider's link; a good token sets the admin cookie and the
// page starts again.
import { requestJson } from '../api/http.ts';
import { OkResponse } from '../../src/api/schemas.ts';
import { showAdminSignInChoice } from './admin-sign-in-mode.ts';
import { byId } from './dom.ts';

export interface AdminSignIn {
  /** Hides the page's content and asks for the token. */
  show(): void;
}

export function adminSignIn(options: { content: HTMLElement; onSignedIn: () => void }): AdminSignIn {
  const view = byId('signin-view');
  const form = byId<HTMLFormElement>('signin-form');
  const token = byId<HTMLInputElement>('admin-token');
  const error = byId('signin-error');
  const oidc = byId('signin-oidc');
  const oidcLink = byId<HTMLAnchorElement>('signin-oidc-link');

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void requestJson('/api/admin/login', OkResponse, { body: { token: token.value } })
      .then(() => {
        view.hidden = true;
        error.hidden = true;
        options.content.hidden = false;
        options.onSignedIn();
      })
      .catch((failure: unknown) => {
        error.hidden = false;
        error.textContent = failure instanceof Error ? failure.message : String(failure);
      });
  });

  return {
    show() {
      options.content.hidden = true;
      view.hidden = false;
      void showAdminSignInChoice(form, oidc, oidcLink).then(() => (form.hidden ? oidcLink : token).focus());
    },
  };
}
