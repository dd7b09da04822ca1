import type { ResourceTypeName } from "../../scim/schema/attribute.js";
import type { ResourceRecord, Store } from "../../store/store.js";

/** A source object as the engine reads it: the record and, for a User, the groups it is a direct member of. */
export interface SourceObject {
  readonly record: ResourceRecord;
  readonly groupIds: readonly string[];
}

/** Reads source objects of one tenant; every read is one short read transaction (never the whole tenant). */
export class SourceReader {
  private readonly store: Store;
  private readonly tenantId: string;

  constructor(store: Store, tenantId: string) {
    this.store = store;
    this.tenantId = tenantId;
  }

  /** The object as it is now; undefined when it does not exist (deleted). */
  read(type: ResourceTypeName, id: string): Promise<SourceObject | undefined> {
    return this.store.read(async (s) => {
      const record = await s.resources.get(type, this.tenantId, id);
      if (!record) return undefined;
      const groups = type === "User" ? ((await s.resources.groupsOf(this.tenantId, [id])).get(id) ?? []) : [];
      return { record, groupIds: groups.map((group) => group.value) };
    });
  }

  /** Ids of one type in id order after `after`, at most `count` (the walk of a full cycle). */
  async pageIds(type: ResourceTypeName, after: string | undefined, count: number): Promise<string[]> {
    const page = await this.store.read((s) =>
      s.resources.list(type, this.tenantId, { page: { kind: "cursor", count, ...(after === undefined ? {} : { after: { sortValue: null, id: after } }) } }),
    );
    return page.records.map((record) => record.id);
  }

  /** A group's direct members in member-id order after `after`, at most `count`. */
  members(groupId: string, after: string | undefined, count: number): Promise<{ value: string; type: ResourceTypeName }[]> {
    return this.store.read(async (s) => (await s.resources.pageMembers(this.tenantId, groupId, { ...(after === undefined ? {} : { after }), count })).map((member) => ({ value: member.value, type: member.type })));
  }

  /** The direct groups of each of these members, now. */
  async groupsOf(memberIds: readonly string[]): Promise<Map<string, Set<string>>> {
    const found = await this.store.read((s) => s.resources.groupsOf(this.tenantId, memberIds));
    return new Map(memberIds.map((id) => [id, new Set((found.get(id) ?? []).map((group) => group.value))]));
  }
}
