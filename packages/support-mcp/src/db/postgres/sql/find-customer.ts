import type { CustomerRow } from '../../../customers/customer-lookup.ts';
import type { Queryable } from '../transaction.ts';

export const FIND_CUSTOMER = `SELECT "CustomerId" AS "customerId", "FirstName" AS "firstName", "LastName" AS "lastName",
    "Email" AS email, "Phone" AS phone, "Company" AS company, "Address" AS address, "City" AS city,
    "State" AS state, "Country" AS country, "PostalCode" AS "postalCode"
  FROM "Customer" WHERE "CustomerId" = $1`;

export async function findCustomer(db: Queryable, customerId: number): Promise<CustomerRow | undefined> {
  const { rows } = await db.query<CustomerRow>(FIND_CUSTOMER, [customerId]);
  return rows[0];
}
