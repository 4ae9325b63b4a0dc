import { createHash } from 'node:crypto';
import type { ChinookTable, ColumnType } from './chinook-tables.ts';

/** What both sides must agree on for one table. */
export type TableDigest = { table: string; rows: number; checksum: string };

/**
 * The canonical form of one value, the same whichever database it came from (better-sqlite3 gives numbers and
 * `YYYY-MM-DD HH:MM:SS` text; PostgreSQL, read with no type parsing, gives everything as text):
 * - NULL: `null`;
 * - integer: its decimal digits (`"42"`);
 * - money: fixed two decimals (`"0.99"`, `"13.86"`);
 * - timestamp: ISO 8601 without zone (`"2021-01-01T00:00:00"`);
 * - text: the string as stored.
 * Anything else (a fraction in an integer column, an unparseable date) throws: the data is not what we expect.
 */
export function canonicalValue(type: ColumnType, value: unknown, where: string): string | null {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'integer': {
      const text = typeof value === 'bigint' ? value.toString() : typeof value === 'number' ? String(value) : String(value);
      if (!/^-?\d+$/.test(text)) throw new Error(`${where}: ${JSON.stringify(value)} is not an integer`);
      return text;
    }
    case 'money': {
      const amount = typeof value === 'number' ? value : Number(value);
      if (!Number.isFinite(amount)) throw new Error(`${where}: ${JSON.stringify(value)} is not an amount`);
      return amount.toFixed(2);
    }
    case 'timestamp': {
      const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.0+)?$/.exec(String(value));
      if (!match) throw new Error(`${where}: ${JSON.stringify(value)} is not a timestamp`);
      return `${match[1]}T${match[2]}`;
    }
    case 'text':
      return String(value);
  }
}

/** A row's canonical values, in the table's column order. */
export function canonicalRow(table: ChinookTable, row: readonly unknown[]): (string | null)[] {
  return table.columns.map((column, i) => canonicalValue(column.type, row[i], `${table.name}.${column.name}`));
}

/**
 * sha256 (hex) over the rows in primary-key order, each row the JSON array of its canonical values followed by
 * a newline: `["1","AC/DC"]\n["2","Accept"]\n…`. Rows arrive as arrays of raw values in column order.
 */
export function tableDigest(table: ChinookTable, rows: Iterable<readonly unknown[]>): TableDigest {
  const hash = createHash('sha256');
  let count = 0;
  for (const row of rows) {
    hash.update(`${JSON.stringify(canonicalRow(table, row))}\n`);
    count += 1;
  }
  return { table: table.name, rows: count, checksum: hash.digest('hex') };
}
