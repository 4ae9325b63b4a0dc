import Database from 'better-sqlite3';

export interface CustomerSummary {
  id: number;
  name: string;
  country: string;
}

/**
 * Who may sign in (the demo picker's list; the customer a store token or an OIDC claim names). Reads only names from Chinook's Customer table, read-only;
 * everything else about a customer is reached through the support MCP server in that customer's scope.
 */
export interface CustomerDirectory {
  list(): CustomerSummary[];
  get(id: number): CustomerSummary | undefined;
  /** The customer with this email address (case-insensitive), as an identity provider's claim names them. */
  findByEmail(email: string): CustomerSummary | undefined;
  close(): void;
}

export function openCustomerDirectory(chinookPath: string): CustomerDirectory {
  const db = new Database(chinookPath, { readonly: true, fileMustExist: true });
  const select = `SELECT CustomerId AS id, FirstName || ' ' || LastName AS name, COALESCE(Country, '') AS country FROM Customer`;
  const list = db.prepare<[], CustomerSummary>(`${select} ORDER BY LastName, FirstName`);
  const get = db.prepare<[number], CustomerSummary>(`${select} WHERE CustomerId = ?`);
  const byEmail = db.prepare<[string], CustomerSummary>(`${select} WHERE lower(Email) = lower(?) ORDER BY CustomerId LIMIT 1`);
  return {
    list: () => list.all(),
    get: (id) => get.get(id),
    findByEmail: (email) => byEmail.get(email),
    close: () => db.close(),
  };
}
