import { expect } from "vitest";
import { Urn } from "../../../src/scim/urns.js";
import type { IdpClient } from "./idp-clients.js";

/** The extra schema URI Entra lists when it creates a group (ENT-51, MS-SCIM "Create Group"). */
export const adscimGroupUrn = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group";

/** A fully-qualified enterprise extension attribute path (ENT-34). */
export function enterprisePath(attribute: string): string {
  return `${Urn.EnterpriseUser}:${attribute}`;
}

/**
 * A POST /Users body in the shape of Entra's default attribute mapping (ENT-21, MS-SCIM "Create User"):
 * core and enterprise schemas, read-only `meta` and an empty `roles` echoed back. `extra` is merged on top.
 */
export function entraUserBody(userName: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const [local] = userName.split("@");
  return {
    schemas: [Urn.User, Urn.EnterpriseUser],
    externalId: local,
    userName,
    active: true,
    displayName: local,
    emails: [{ primary: true, type: "work", value: userName }],
    meta: { resourceType: "User" },
    name: { formatted: `${local} Test`, familyName: "Test", givenName: local },
    roles: [],
    ...extra,
  };
}

/** A POST /Groups body as Entra sends it: no members, Microsoft's extra schema URI, objectId as externalId (ENT-51). */
export function entraGroupBody(displayName: string, externalId: string): Record<string, unknown> {
  return { schemas: [Urn.Group, adscimGroupUrn], externalId, displayName, meta: { resourceType: "Group" } };
}

/**
 * Entra's create flow for one user (ENT-20): query by the matching attribute, POST when nothing matched,
 * and remember the id either way. Returns the id.
 */
export async function provisionUser(client: IdpClient, body: Record<string, unknown>): Promise<string> {
  const match = await client.filter("Users", `userName eq "${body.userName as string}"`);
  expect(match.status, match.text).toBe(200);
  if (match.body.totalResults === 1) return match.body.Resources[0].id as string;
  expect(match.body.totalResults).toBe(0);
  const created = await client.send("POST", "/Users", body);
  expect(created.status, created.text).toBe(201);
  return created.body.id as string;
}

/** Entra's create flow for one group (ENT-50, ENT-51): query by displayName without members, POST when nothing matched. */
export async function provisionGroup(client: IdpClient, body: Record<string, unknown>): Promise<string> {
  const match = await client.filter("Groups", `displayName eq "${body.displayName as string}"`, "excludedAttributes=members");
  expect(match.status, match.text).toBe(200);
  if (match.body.totalResults === 1) return match.body.Resources[0].id as string;
  expect(match.body.totalResults).toBe(0);
  const created = await client.send("POST", "/Groups", body);
  expect(created.status, created.text).toBe(201);
  return created.body.id as string;
}

/** GETs a user or group by id and asserts 200; returns the resource. */
export async function fetchResource(client: IdpClient, resource: "Users" | "Groups", id: string, query = ""): Promise<any> {
  const response = await client.get(`/${resource}/${id}${query ? `?${query}` : ""}`);
  expect(response.status, response.text).toBe(200);
  return response.body;
}

/** The member ids of a group, sorted. */
export async function memberIds(client: IdpClient, groupId: string): Promise<string[]> {
  const group = await fetchResource(client, "Groups", groupId);
  return ((group.members ?? []) as Array<{ value: string }>).map((member) => member.value).sort();
}
