// The open conversation's id, kept per signed-in customer so history survives reloads.
// localStorage can throw (private mode, disabled storage): the chat then just starts fresh.

const key = (customerName: string) => `algorhythm.conversation.${customerName}`;

export function loadConversationId(customerName: string): string | null {
  try {
    return localStorage.getItem(key(customerName));
  } catch {
    return null;
  }
}

export function saveConversationId(customerName: string, id: string | null): void {
  try {
    if (id) localStorage.setItem(key(customerName), id);
    else localStorage.removeItem(key(customerName));
  } catch {
    // Not persisted; the conversation still works until the page is closed.
  }
}
