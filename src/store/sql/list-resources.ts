import { sql, type AliasedRawBuilder, type Kysely } from "kysely";
import type { ResourceTypeName } from "../../scim/schema/attribute.js";
import type { Database } from "../schema.js";
import type { CursorPosition, ListPage, ListQuery, LookupOptions, PageRequest, StoredPage } from "../store.js";
import { compileFilter } from "./compile-filter.js";
import { compileSort, type CompiledSort } from "./compile-sort.js";
import type { SqlDialect } from "./dialect.js";
import { layoutFor } from "./layout.js";
import type { PagePositions } from "./page-positions.js";
import { recordFromRow, type ResourceRow } from "./resource-rows.js";
import { compileSearch, searchProbeThreshold, type SearchForm } from "./search-terms.js";
import { storedFromRow, storedSelections } from "./stored-columns.js";

const resource = "r";

type IndexPage = Extract<PageRequest, { kind: "index" }>;

/** The resource table of a type under the alias `r` (users and groups share every column used here, so the users typing serves both). */
function resourceTable(type: ResourceTypeName) {
  return (type === "User" ? "users as r" : "groups as r") as "users as r";
}

/** True when a list is the whole tenant in id order: no filter, search or sort, so its pages are read along the primary key. */
function isWholeTenantInIdOrder(query: ListQuery): boolean {
  return !query.filter && !query.search && !query.sort;
}

/** The statements of one list request, before execution (tests compile them to check SQL and query plans). */
export interface ListStatements {
  /** COUNT(*) of the rows matching the filter. */
  readonly count: ReturnType<typeof countStatement>;
  /** The page's rows (one extra row for cursor paging); undefined when the page is empty by construction (count 0). */
  readonly rows: ReturnType<typeof rowsStatement> | undefined;
  readonly sort: CompiledSort;
}

function matching(db: Kysely<Database>, dialect: SqlDialect, type: ResourceTypeName, tenantId: string, query: ListQuery, form: SearchForm = "in") {
  const where = query.filter ? compileFilter(query.filter, { dialect, layout: layoutFor(type, dialect), resource, tenantId }) : undefined;
  const from = resourceTable(type);
  const search = query.search ? compileSearch(query.search, { dialect, type, tenantId, resource, form }) : undefined;
  const base = db.selectFrom(from).where("r.tenant_id", "=", tenantId);
  const filtered = where ? base.where(where) : base;
  return search ? filtered.where(search) : filtered;
}

type Matching = ReturnType<typeof matching>;

function countStatement(rowsMatching: Matching) {
  return rowsMatching.select((eb) => eb.fn.countAll<number | bigint>().as("total"));
}

/** Columns selected beside the row's own (the stored columns of stored-columns.ts). */
type ExtraSelections = readonly AliasedRawBuilder<unknown, string>[];

function rowsStatement(rowsMatching: Matching, query: ListQuery, sort: CompiledSort, extra: ExtraSelections = []) {
  let rows = rowsMatching.select(["r.tenant_id", "r.id", "r.created_at", "r.last_modified_at", "r.version", "r.attributes", sql<unknown>`${sort.value ?? sql`null`}`.as("sort_value"), ...extra]);
  for (const term of sort.orderBy) rows = rows.orderBy(term);
  const { page } = query;
  if (page.kind === "index") return rows.limit(page.count).offset(page.startIndex - 1);
  if (page.after) rows = rows.where(sort.after(page.after));
  // One row more than asked tells whether another page follows.
  return rows.limit(page.count + 1);
}

/**
 * Builds the statements of a list request: filter, search, order, page and count all run in SQL.
 * `searchForm` is how the page's rows meet a search (listResources picks it from the count).
 */
export function listStatements(db: Kysely<Database>, dialect: SqlDialect, type: ResourceTypeName, tenantId: string, query: ListQuery, searchForm: SearchForm = "in", extra: ExtraSelections = []): ListStatements {
  const sort = compileSort(query.sort, layoutFor(type, dialect), dialect, resource);
  // Kysely builders are immutable: the count and the page share one compiled filter. The count always
  // meets a search in the IN form, which counts without walking the order.
  const rowsMatching = matching(db, dialect, type, tenantId, query, searchForm);
  return {
    count: countStatement(searchForm === "in" ? rowsMatching : matching(db, dialect, type, tenantId, query)),
    rows: query.page.count > 0 ? rowsStatement(rowsMatching, query, sort, extra) : undefined,
    sort,
  };
}

/**
 * The number of a tenant's Users or Groups, read from resource_counts (kept exact by the triggers of
 * migration 0006), so an unfiltered list costs a few rows rather than a walk of the whole tenant. No row: 0.
 */
export async function countAllResources(db: Kysely<Database>, type: ResourceTypeName, tenantId: string): Promise<number> {
  return (await resourceCount(db, type, tenantId)).total;
}

/**
 * A tenant's number of Users or Groups and the revision of that set (migration 0007): sums over the
 * tenant's count shards (migration 0009), one range of the primary key; no row: 0 and 0.
 */
async function resourceCount(db: Kysely<Database>, type: ResourceTypeName, tenantId: string): Promise<{ total: number; revision: number }> {
  const row = await db
    .selectFrom("resource_counts")
    .select((eb) => [eb.fn.sum<number | string | null>("total").as("total"), eb.fn.sum<number | string | null>("revision").as("revision")])
    .where("tenant_id", "=", tenantId)
    .where("resource_type", "=", type)
    .executeTakeFirst();
  return { total: Number(row?.total ?? 0), revision: Number(row?.revision ?? 0) };
}

/**
 * totalResults when the page itself tells it, so no COUNT is needed: the first page (or a page after a
 * known number of rows) that came back short holds every remaining match. undefined when only COUNT knows.
 */
function totalFromPage(query: ListQuery, found: number): number | undefined {
  const { page } = query;
  if (page.kind === "index") return found < page.count && (found > 0 || page.startIndex === 1) ? page.startIndex - 1 + found : undefined;
  return page.after === undefined && found <= page.count ? found : undefined;
}

/** totalResults by COUNT, or from resource_counts when nothing narrows the list. */
async function countMatches(db: Kysely<Database>, type: ResourceTypeName, tenantId: string, query: ListQuery, counted: ListStatements): Promise<number> {
  if (query.filter === undefined && query.search === undefined) return countAllResources(db, type, tenantId);
  return Number((await counted.count.executeTakeFirstOrThrow()).total);
}

/** A page of rows (with any extra columns), before they become records or stored resources. */
interface RowPage {
  readonly rows: readonly (ResourceRow & Record<string, unknown>)[];
  readonly totalResults: number;
  readonly next?: CursorPosition;
}

/**
 * One page of a tenant's Users or Groups. Index paging uses LIMIT/OFFSET; cursor paging is keyset
 * pagination on (sort value, id), so a deep page costs what the first does when the order has an index.
 * totalResults counts every row matching the filter: from the page when it came back short (a lookup by
 * userName, a small result), else in the same snapshot from resource_counts when there is no filter and
 * no search, by COUNT otherwise. With `positions` (read sessions only), an index page of the whole tenant
 * in id order is a step of a walk (walkPage).
 */
export async function listResources(db: Kysely<Database>, dialect: SqlDialect, type: ResourceTypeName, tenantId: string, query: ListQuery, positions?: PagePositions): Promise<ListPage> {
  const page = await listRows(db, dialect, type, tenantId, query, positions, []);
  const records = page.rows.map((row) => recordFromRow(type, row));
  return page.next ? { records, totalResults: page.totalResults, next: page.next } : { records, totalResults: page.totalResults };
}

/** listResources with each resource's document as stored JSON text and the columns `options` asks for, each page one statement. */
export async function listStoredResources(db: Kysely<Database>, dialect: SqlDialect, type: ResourceTypeName, tenantId: string, query: ListQuery, options: LookupOptions, positions?: PagePositions): Promise<StoredPage> {
  const selections = storedSelections(dialect, "r", options, type);
  // In id order the page is read along the primary key and the extra columns cost only the page's rows.
  // A filter or sort usually needs a sorter, which computes every selected column for every match before
  // it sorts: there the page's rows get their extra columns from a second statement, by id.
  const inline = isWholeTenantInIdOrder(query);
  const page = await listRows(db, dialect, type, tenantId, query, positions, inline ? selections : []);
  const rows = inline || selections.length === 0 || page.rows.length === 0 ? page.rows : await withSelections(db, dialect, type, tenantId, page.rows, selections);
  const resources = rows.map((row) => storedFromRow(dialect, type, tenantId, row, options.extensions));
  return page.next ? { resources, totalResults: page.totalResults, next: page.next } : { resources, totalResults: page.totalResults };
}

/** The rows with the extra columns added, read by id in one statement of the same snapshot. */
async function withSelections(db: Kysely<Database>, dialect: SqlDialect, type: ResourceTypeName, tenantId: string, rows: RowPage["rows"], selections: ExtraSelections): Promise<RowPage["rows"]> {
  const from = resourceTable(type);
  const found: Record<string, unknown>[] = await db
    .selectFrom(from)
    .select(["r.id", ...selections])
    .where("r.tenant_id", "=", tenantId)
    .where(dialect.inList(sql.ref("r.id"), rows.map((row) => row.id)))
    .execute();
  const byId = new Map(found.map((extra) => [extra["id"] as string, extra]));
  return rows.map((row) => ({ ...row, ...byId.get(row.id) }));
}

async function listRows(db: Kysely<Database>, dialect: SqlDialect, type: ResourceTypeName, tenantId: string, query: ListQuery, positions: PagePositions | undefined, extra: ExtraSelections): Promise<RowPage> {
  const { page } = query;
  if (positions && page.kind === "index" && isWholeTenantInIdOrder(query)) return walkPage(db, dialect, type, tenantId, page, positions, extra);
  const counted = listStatements(db, dialect, type, tenantId, query, "in", extra);
  // A search picks how to meet the page's rows from the count, so it counts first.
  const countFirst = query.search !== undefined || !counted.rows;
  let totalResults = countFirst ? await countMatches(db, type, tenantId, query, counted) : undefined;
  // Many matches: walk the order and probe each row's terms; few: read the matches and sort them.
  const statements = query.search && totalResults !== undefined && totalResults > searchProbeThreshold ? listStatements(db, dialect, type, tenantId, query, "probe", extra) : counted;
  if (!statements.rows || totalResults === 0) return { rows: [], totalResults: totalResults ?? 0 };
  const found = (await statements.rows.execute()) as (ResourceRow & { sort_value: unknown } & Record<string, unknown>)[];
  totalResults ??= totalFromPage(query, found.length) ?? (await countMatches(db, type, tenantId, query, counted));
  if (page.kind === "index") return { rows: found, totalResults };
  const rows = found.slice(0, page.count);
  const last = found[page.count - 1];
  if (found.length <= page.count || !last) return { rows, totalResults };
  return { rows, totalResults, next: { sortValue: statements.sort.readSortValue(last.sort_value), id: last.id } };
}

/**
 * An index page of a whole tenant in id order, the way IdPs import (startIndex 1, 1 + count, …). OFFSET
 * walks the index from the tenant's first row up to the page, so reading N rows page by page costs
 * O(N²); when a page at the same revision ended just before this one, this page continues after that
 * page's last id (keyset), at the cost of the first page. totalResults and the rows come from one snapshot.
 */
async function walkPage(db: Kysely<Database>, dialect: SqlDialect, type: ResourceTypeName, tenantId: string, page: IndexPage, positions: PagePositions, extra: ExtraSelections): Promise<RowPage> {
  const { total, revision } = await resourceCount(db, type, tenantId);
  if (total === 0 || page.count === 0) return { rows: [], totalResults: total };
  const list = { tenantId, type, revision };
  const before = page.startIndex > 1 ? positions.find(list, page.startIndex) : undefined;
  const query: ListQuery = { page: before ? { kind: "cursor", after: before, count: page.count } : page };
  const found: (ResourceRow & Record<string, unknown>)[] = (await listStatements(db, dialect, type, tenantId, query, "in", extra).rows?.execute()) ?? [];
  const rows = found.slice(0, page.count);
  const last = rows[page.count - 1];
  if (last) positions.remember(list, page.startIndex + page.count, { sortValue: null, id: last.id });
  return { rows, totalResults: total };
}
