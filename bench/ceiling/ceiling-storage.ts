/** Connections of the PostgreSQL ceiling's pool: Muster's default pool size (src/store/postgres/open-postgres-store.ts). */
export const ceilingPoolSize = 10;

/** A users or groups row as the ceiling reads it (the attributes as JSON text). */
export interface CeilingRow {
  readonly id: string;
  readonly created_at: string;
  readonly last_modified_at: string;
  readonly version: number;
  readonly attributes: string;
}

/** A group a user belongs to, or a member of a group, with its display text. */
export interface CeilingRelation {
  readonly id: string;
  readonly display: string | null;
  readonly owner?: string;
  readonly type?: string;
}

/** One page of a filtered list and the number of matches. */
export interface CeilingPage {
  readonly total: number;
  readonly rows: readonly CeilingRow[];
}

/** The list filters the ceiling understands, each answered from the index Muster uses for it. */
export type CeilingFilter = { readonly kind: "workEmail"; readonly email: string } | { readonly kind: "familyNameStartsWith"; readonly prefix: string } | { readonly kind: "userNameContains"; readonly needle: string };

/** The columns of a user row the ceiling writes; `attributes` is the stored document as JSON text. */
export interface CeilingUserWrite {
  readonly userName: string;
  readonly userNameKey: string;
  readonly externalId: string | null;
  readonly active: boolean | null;
  readonly attributes: string;
}

/** The columns of a new group row. */
export interface CeilingGroupWrite {
  readonly displayName: string;
  readonly displayNameKey: string;
  readonly externalId: string | null;
  readonly attributes: string;
}

/** The three values of Entra's attribute PATCH: title, enterprise department, first phone number. */
export type CeilingUserPatch = readonly [title: unknown, department: unknown, phone: unknown];

/**
 * The storage work of the ceiling for one tenant, on SQLite (in-process, synchronous underneath) or
 * PostgreSQL (a pool of connections): one method per statement shape, written by hand against Muster's
 * own tables and indexes. Keys arrive folded; ids and times are made by the caller.
 */
export interface CeilingStorage {
  userByName(userNameKey: string): Promise<CeilingRow | undefined>;
  userById(id: string): Promise<CeilingRow | undefined>;
  /** The groups of each user, ordered by user then group. */
  groupsOfUsers(userIds: readonly string[]): Promise<CeilingRelation[]>;
  filteredUsers(filter: CeilingFilter, count: number): Promise<CeilingPage>;
  countUsers(): Promise<number>;
  usersByOffset(count: number, offset: number): Promise<CeilingRow[]>;
  usersAfter(cursor: string, count: number): Promise<CeilingRow[]>;
  insertUser(id: string, now: string, user: CeilingUserWrite): Promise<void>;
  patchUser(id: string, now: string, values: CeilingUserPatch): Promise<CeilingRow | undefined>;
  replaceUser(id: string, now: string, user: CeilingUserWrite): Promise<CeilingRow | undefined>;
  groupByName(displayNameKey: string): Promise<CeilingRow | undefined>;
  groupById(id: string): Promise<CeilingRow | undefined>;
  membersOfGroup(groupId: string): Promise<CeilingRelation[]>;
  insertGroup(id: string, now: string, group: CeilingGroupWrite): Promise<void>;
  /** Member rows added and removed, and the group's version bumped, in one transaction. */
  changeMembers(groupId: string, now: string, changes: readonly { readonly add: boolean; readonly memberId: string }[]): Promise<void>;
  close(): Promise<void>;
}
