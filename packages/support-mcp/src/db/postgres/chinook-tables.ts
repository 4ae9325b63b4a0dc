/**
 * Chinook's tables as PostgreSQL holds them: the original names and columns (quoted, so `"Customer"."CustomerId"`),
 * in an order where every foreign key points at a table before it. The loader builds its DDL from this list and the
 * checksum reads columns in this order, so the list is the one description of the schema on both sides.
 */

/** How a column is stored in PostgreSQL, and how its values are normalized for the checksum (canonical-rows.ts). */
export type ColumnType = 'integer' | 'text' | 'money' | 'timestamp';

export type ChinookColumn = {
  name: string;
  type: ColumnType;
  nullable?: boolean;
  references?: { table: string; column: string };
};

export type ChinookTable = { name: string; columns: ChinookColumn[]; primaryKey: string[] };

const SQL_TYPE: Record<ColumnType, string> = {
  integer: 'integer',
  text: 'text',
  money: 'numeric(10,2)',
  timestamp: 'timestamp',
};

const id = (name: string): ChinookColumn => ({ name, type: 'integer' });
const ref = (name: string, table: string, nullable = false): ChinookColumn => ({
  name,
  type: 'integer',
  nullable,
  references: { table, column: name === 'SupportRepId' || name === 'ReportsTo' ? 'EmployeeId' : name },
});
const text = (name: string, nullable = true): ChinookColumn => ({ name, type: 'text', nullable });
const address = ['Address', 'City', 'State', 'Country', 'PostalCode', 'Phone', 'Fax'].map((name) => text(name));

export const CHINOOK_TABLES: readonly ChinookTable[] = [
  { name: 'Artist', columns: [id('ArtistId'), text('Name')], primaryKey: ['ArtistId'] },
  { name: 'Album', columns: [id('AlbumId'), text('Title', false), ref('ArtistId', 'Artist')], primaryKey: ['AlbumId'] },
  {
    name: 'Employee',
    columns: [
      id('EmployeeId'),
      text('LastName', false),
      text('FirstName', false),
      text('Title'),
      ref('ReportsTo', 'Employee', true),
      { name: 'BirthDate', type: 'timestamp', nullable: true },
      { name: 'HireDate', type: 'timestamp', nullable: true },
      ...address,
      text('Email'),
    ],
    primaryKey: ['EmployeeId'],
  },
  {
    name: 'Customer',
    columns: [
      id('CustomerId'),
      text('FirstName', false),
      text('LastName', false),
      text('Company'),
      ...address,
      text('Email', false),
      ref('SupportRepId', 'Employee', true),
    ],
    primaryKey: ['CustomerId'],
  },
  { name: 'Genre', columns: [id('GenreId'), text('Name')], primaryKey: ['GenreId'] },
  { name: 'MediaType', columns: [id('MediaTypeId'), text('Name')], primaryKey: ['MediaTypeId'] },
  {
    name: 'Track',
    columns: [
      id('TrackId'),
      text('Name', false),
      ref('AlbumId', 'Album', true),
      ref('MediaTypeId', 'MediaType'),
      ref('GenreId', 'Genre', true),
      text('Composer'),
      { name: 'Milliseconds', type: 'integer' },
      { name: 'Bytes', type: 'integer', nullable: true },
      { name: 'UnitPrice', type: 'money' },
    ],
    primaryKey: ['TrackId'],
  },
  {
    name: 'Invoice',
    columns: [
      id('InvoiceId'),
      ref('CustomerId', 'Customer'),
      { name: 'InvoiceDate', type: 'timestamp' },
      ...['BillingAddress', 'BillingCity', 'BillingState', 'BillingCountry', 'BillingPostalCode'].map((name) => text(name)),
      { name: 'Total', type: 'money' },
    ],
    primaryKey: ['InvoiceId'],
  },
  {
    name: 'InvoiceLine',
    columns: [id('InvoiceLineId'), ref('InvoiceId', 'Invoice'), ref('TrackId', 'Track'), { name: 'UnitPrice', type: 'money' }, { name: 'Quantity', type: 'integer' }],
    primaryKey: ['InvoiceLineId'],
  },
  { name: 'Playlist', columns: [id('PlaylistId'), text('Name')], primaryKey: ['PlaylistId'] },
  { name: 'PlaylistTrack', columns: [ref('PlaylistId', 'Playlist'), ref('TrackId', 'Track')], primaryKey: ['PlaylistId', 'TrackId'] },
];

/** Which source the PostgreSQL copy was loaded from: one row per table, its count and checksum (load-chinook.ts). */
export const CHINOOK_LOADS_TABLE = 'algorhythm_chinook_load';

export const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** `CREATE TABLE` with the primary key; foreign keys come after the copy (`foreignKeysOf`), so row order never matters. */
export function createTableSql(table: ChinookTable): string {
  const columns = table.columns.map((c) => `${quote(c.name)} ${SQL_TYPE[c.type]}${c.nullable ? '' : ' NOT NULL'}`);
  return `CREATE TABLE ${quote(table.name)} (${[...columns, `PRIMARY KEY (${table.primaryKey.map(quote).join(', ')})`].join(', ')})`;
}

/** The foreign keys and their indexes (Chinook's own `IFK_…` indexes), added once every row is in. */
export function foreignKeysOf(table: ChinookTable): string[] {
  return table.columns.flatMap((c) =>
    c.references
      ? [
          `ALTER TABLE ${quote(table.name)} ADD FOREIGN KEY (${quote(c.name)}) REFERENCES ${quote(c.references.table)} (${quote(c.references.column)})`,
          `CREATE INDEX ${quote(`IFK_${table.name}${c.name}`)} ON ${quote(table.name)} (${quote(c.name)})`,
        ]
      : [],
  );
}

/** Reads every row in checksum order (primary key ascending), columns in list order; same text on both sides. */
export const selectOrderedSql = (table: ChinookTable) =>
  `SELECT ${table.columns.map((c) => quote(c.name)).join(', ')} FROM ${quote(table.name)} ORDER BY ${table.primaryKey.map(quote).join(', ')}`;
