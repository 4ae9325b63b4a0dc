import Database from 'better-sqlite3';

export interface CustomerSummary {
  id: number;
  name: string;
  country: string;
}

/**
 * The demo identity provider: who may sign in. Reads only names from Chinook's Customer table, read-only;
 * everything else about a customer is reached through the support MCP server in that customer's scope.
 */
export interface CustomerDirectory {
  list(): CustomerSummary[];
  get(id: number): CustomerSummary | undefined;
  close(): void;
}

export function openCustomerDirectory(chinookPath: string): CustomerDirectory {
  const db = new Database(chinookPath, { readonly: true, fileMustExist: true });
  const select = `SELECT CustomerId AS id, FirstName || ' ' || LastName AS name, COALESCE(Country, '') AS country FROM Customer`;
  const list = db.prepare<[], CustomerSummary>(`${select} ORDER BY LastName, FirstName`);
  const get = db.prepare<[number], CustomerSummary>(`${select} WHERE CustomerId = ?`);
  return {
    list: () => list.all(),
    get: (id) => get.get(id),
    close: () => db.close(),
  };
}
