import { sql, type Kysely } from "kysely";
import type { ResourceTypeName } from "../../scim/schema/attribute.js";
import type { Database } from "../schema.js";
import type { ListPage, ListQuery } from "../store.js";
import { compileFilter } from "./compile-filter.js";
import { compileSort } from "./compile-sort.js";
import type { SqlDialect } from "./dialect.js";
import { layoutFor } from "./layout.js";
import { recordFromRow, tableOf, type ResourceRow } from "./resource-rows.js";

const resource = "r";

/**
 * One page of a tenant's Users or Groups: filter, order, page and count all run in SQL. Index paging
 * uses LIMIT/OFFSET; cursor paging is keyset pagination on (sort value, id), so every page costs the
 * same however deep it is. totalResults counts every row matching the filter.
 */
export async function listResources(db: Kysely<Database>, dialect: SqlDialect, type: ResourceTypeName, tenantId: string, query: ListQuery): Promise<ListPage> {
  const layout = layoutFor(type, dialect);
  const where = query.filter ? compileFilter(query.filter, { dialect, layout, resource }) : undefined;
  const sort = compileSort(query.sort, layout, dialect, resource);
  // users and groups share the columns selected here, so the users typing serves both tables.
  const from = `${tableOf(type)} as ${resource}` as "users as r";
  const matching = () => {
    const base = db.selectFrom(from).where("r.tenant_id", "=", tenantId);
    return where ? base.where(where) : base;
  };

  const counted = await matching().select((eb) => eb.fn.countAll<number | bigint>().as("total")).executeTakeFirstOrThrow();
  const totalResults = Number(counted.total);
  const { page } = query;
  if (page.count <= 0 || totalResults === 0) return { records: [], totalResults };

  let rows = matching().select(["r.tenant_id", "r.id", "r.created_at", "r.last_modified_at", "r.version", "r.attributes"]);
  if (sort.value) rows = rows.select(sql<unknown>`${sort.value}`.as("sort_value"));
  for (const term of sort.orderBy) rows = rows.orderBy(term);

  if (page.kind === "index") {
    const found = await rows.limit(page.count).offset(page.startIndex - 1).execute();
    return { records: found.map((row) => recordFromRow(type, row)), totalResults };
  }

  const after = page.after;
  if (after) rows = rows.where(sort.after(after));
  // One row more than asked tells whether another page follows.
  const found: (ResourceRow & { sort_value?: unknown })[] = await rows.limit(page.count + 1).execute();
  const records = found.slice(0, page.count).map((row) => recordFromRow(type, row));
  const last = found[page.count - 1];
  if (found.length <= page.count || !last) return { records, totalResults };
  return { records, totalResults, next: { sortValue: sort.readSortValue(last.sort_value), id: last.id } };
}
