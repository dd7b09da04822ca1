import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { PagedResourceView } from "../../provisioning/member-pages.js";
import { parseProjection, projectResource } from "../../scim/resource/projection.js";
import { unwrap } from "../../scim/result.js";
import { registry } from "../../scim/schema/registry.js";
import type { MemberView, ResourceRecord } from "../../store/store.js";
import { presentResource } from "./present-resource.js";
import { presentPagedResource, readableOf } from "./stream-resource.js";

const schema = registry.forType("Group");
const baseUrl = "https://scim.example.com/scim/v2/acme";
const record: ResourceRecord = {
  tenantId: "t1",
  id: "g-big",
  type: "Group",
  attributes: { displayName: "All \"Employees\" \u2603", externalId: "ext-1" },
  created: "2026-01-01T00:00:00.000Z",
  lastModified: "2026-01-02T00:00:00.000Z",
  version: 7,
};
const members: MemberView[] = Array.from({ length: 23 }, (_, i) => ({
  value: `m${String(i).padStart(3, "0")}`,
  type: i % 5 === 0 ? "Group" : "User",
  display: `Member ${i} \u00e9`,
}));

/** The first page and a source of the rest that records which pages were asked for. */
function paged(pageSize: number, fail?: number): { view: PagedResourceView; asked: number[] } {
  const asked: number[] = [];
  async function* rest(): AsyncGenerator<readonly MemberView[]> {
    for (let start = pageSize, index = 1; start < members.length; start += pageSize, index++) {
      asked.push(index);
      if (index === fail) throw new Error("the database went away");
      yield members.slice(start, start + pageSize);
    }
  }
  return { view: { record, members: members.slice(0, pageSize), moreMembers: rest() }, asked };
}

async function collect(chunks: AsyncGenerator<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const chunk of chunks) out.push(chunk);
  return out;
}

const projections = [
  {},
  { attributes: "members.value" },
  { attributes: "members" },
  { attributes: "displayName,members.display" },
  { excludedAttributes: "members.display,externalId" },
  { excludedAttributes: "members.$ref,members.type" },
];

describe("presentPagedResource", () => {
  it.each(projections)("streams the same bytes as the whole document for projection %o", async (params) => {
    const projection = unwrap(parseProjection(schema, params));
    const expected = JSON.stringify(projectResource(schema, presentResource({ record, members }, schema, baseUrl), projection));
    const body = presentPagedResource(paged(5).view, schema, baseUrl, projection);
    expect(body.kind).toBe("stream");
    if (body.kind !== "stream") return;
    const chunks = await collect(body.chunks);
    expect(chunks.length).toBe(6);
    expect(chunks.join("")).toBe(expected);
  });

  it("answers a whole document, without reading more pages, when the projection leaves members out", async () => {
    for (const params of [{ attributes: "displayName" }, { excludedAttributes: "members" }]) {
      const { view, asked } = paged(5);
      const projection = unwrap(parseProjection(schema, params));
      const body = presentPagedResource(view, schema, baseUrl, projection);
      expect(body).toEqual({ kind: "document", document: projectResource(schema, presentResource({ record }, schema, baseUrl), projection) });
      expect(asked).toEqual([]);
    }
  });

  it("answers a whole document when every member came in the first page", () => {
    const projection = unwrap(parseProjection(schema, {}));
    const body = presentPagedResource({ record, members }, schema, baseUrl, projection);
    expect(body).toEqual({ kind: "document", document: projectResource(schema, presentResource({ record, members }, schema, baseUrl), projection) });
  });

  it("asks for the next page only when the reader takes the next chunk", async () => {
    const { view, asked } = paged(5);
    const body = presentPagedResource(view, schema, baseUrl, unwrap(parseProjection(schema, {})));
    if (body.kind !== "stream") throw new Error("expected a stream");
    const first = await body.chunks.next();
    expect(first.value).toMatch(/^\{"schemas":\["urn:ietf:params:scim:schemas:core:2\.0:Group"\],"id":"g-big",.*"members":\[\{"value":"m000",/);
    expect(asked).toEqual([]);
    await body.chunks.next();
    expect(asked).toEqual([1]);
    await body.chunks.next();
    expect(asked).toEqual([1, 2]);
  });

  it("rejects after the first chunks when a later page fails, so the response can be cut off", async () => {
    const { view } = paged(5, 2);
    const body = presentPagedResource(view, schema, baseUrl, unwrap(parseProjection(schema, {})));
    if (body.kind !== "stream") throw new Error("expected a stream");
    expect((await body.chunks.next()).done).toBe(false);
    expect((await body.chunks.next()).done).toBe(false);
    await expect(body.chunks.next()).rejects.toThrow("the database went away");
  });
});

describe("readableOf", () => {
  it("stops asking for pages while the destination is full, and goes on as it drains", async () => {
    const { view, asked } = paged(2);
    const body = presentPagedResource(view, schema, baseUrl, unwrap(parseProjection(schema, {})));
    if (body.kind !== "stream") throw new Error("expected a stream");
    const taken: Buffer[] = [];
    const callbacks: Array<() => void> = [];
    // A destination that holds every write until released, as a socket does for a client that reads nothing.
    const destination = new Writable({
      highWaterMark: 1,
      write(chunk: Buffer, _encoding, callback) {
        taken.push(chunk);
        callbacks.push(callback);
      },
    });
    const finished = new Promise((resolve) => destination.on("finish", resolve));
    readableOf(body.chunks).pipe(destination);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(asked.length).toBeLessThanOrEqual(2);
    while (callbacks.length > 0 || asked.length < 11) {
      callbacks.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await finished;
    expect(asked).toHaveLength(11);
    expect(JSON.parse(Buffer.concat(taken).toString("utf8")).members).toHaveLength(members.length);
  });
});
