import { randomInt, randomUUID } from "node:crypto";
import { expect } from "vitest";
import { Urn } from "../../../src/scim/urns.js";

/**
 * Payloads in the shape the Microsoft SCIM Validator sends (VAL-01…VAL-30, from the run reports cited in
 * COMPATIBILITY.md §1.9): random upper-case tokens for most strings, string booleans inside multi-valued
 * items, a manager id that exists nowhere.
 */

/** A random token like the validator's expression generator produces, e.g. "KMYVNUJVVZWC". */
export function randomToken(length = 12): string {
  return Array.from({ length }, () => String.fromCharCode(65 + randomInt(26))).join("");
}

/** A random e-mail address. */
export function randomEmail(): string {
  return `${randomToken(8).toLowerCase()}@${randomToken(10).toLowerCase()}.example`;
}

/** The validator's "Create a new User" body in default-attributes mode (VAL-01, VAL-30). */
export function validatorUserBody(userName = randomEmail()): Record<string, any> {
  return {
    schemas: [Urn.User, Urn.EnterpriseUser],
    userName,
    active: true,
    displayName: randomToken(),
    title: randomToken(),
    nickName: randomToken(),
    userType: randomToken(),
    preferredLanguage: randomToken(),
    locale: randomToken(),
    timezone: randomToken(),
    profileUrl: randomToken(),
    externalId: randomUUID(),
    name: { givenName: randomToken(), familyName: randomToken(), formatted: randomToken() },
    emails: [{ type: "work", value: userName, primary: true }],
    phoneNumbers: [
      { type: "work", value: "07-272-0828", primary: "true" },
      { type: "mobile", value: "07-555-0101" },
      { type: "fax", value: "07-555-0102" },
    ],
    addresses: [
      { type: "work", streetAddress: "2809 Johns Walk", locality: randomToken(), region: randomToken(), postalCode: "0150", country: "NO", formatted: randomToken(), primary: true },
    ],
    roles: [{ primary: "True", display: randomToken(), value: randomToken(), type: randomToken() }],
    [Urn.EnterpriseUser]: {
      employeeNumber: randomToken(),
      department: randomToken(),
      costCenter: randomToken(),
      organization: randomToken(),
      division: randomToken(),
      manager: { value: randomToken() },
    },
  };
}

/** The validator's "Create a new Group" body (VAL-18). */
export function validatorGroupBody(displayName = randomToken()): Record<string, any> {
  return { schemas: [Urn.Group], displayName, externalId: randomUUID() };
}

/** A sent body as it should read back: string booleans as JSON booleans, read-only and write-only parts left out. */
export function expectedReadBack(sent: Record<string, unknown>): Record<string, unknown> {
  const { schemas: _schemas, meta: _meta, password: _password, ...attributes } = sent;
  return coerceBooleans(attributes) as Record<string, unknown>;
}

function coerceBooleans(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(coerceBooleans);
  if (typeof value === "string" && /^(true|false)$/i.test(value)) return value.toLowerCase() === "true";
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, coerceBooleans(item)]));
}

/** Asserts that a fetched resource carries every attribute that was sent, with the sent values (VAL-01). */
export function expectEverySentAttribute(fetched: Record<string, unknown>, sent: Record<string, unknown>): void {
  const expected = expectedReadBack(sent);
  for (const [key, value] of Object.entries(expected)) expect(fetched[key], key).toEqual(value);
}

/** An attribute as /Schemas describes it (RFC 7643 §7). */
export interface DiscoveredAttribute {
  readonly name: string;
  readonly type: string;
  readonly multiValued: boolean;
  readonly mutability: string;
  readonly canonicalValues?: readonly string[];
  readonly subAttributes?: readonly DiscoveredAttribute[];
}

/**
 * A value for every client-writable attribute of a discovered schema, as the validator builds payloads in
 * schema-discovery mode (VAL-00): random strings, `true` for booleans, a canonical value where the schema
 * lists them, one element for multi-valued attributes. `password` (writeOnly) is left out, since it cannot be read back.
 */
export function valuesFromSchema(attributes: readonly DiscoveredAttribute[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const attribute of attributes) {
    if (attribute.mutability === "readOnly" || attribute.mutability === "writeOnly") continue;
    const single = valueFor(attribute);
    if (single !== undefined) values[attribute.name] = attribute.multiValued ? [single] : single;
  }
  return values;
}

function valueFor(attribute: DiscoveredAttribute): unknown {
  switch (attribute.type) {
    case "complex": {
      const sub = valuesFromSchema(attribute.subAttributes ?? []);
      return Object.keys(sub).length > 0 ? sub : undefined;
    }
    case "boolean":
      return true;
    case "integer":
      return randomInt(1000);
    case "decimal":
      return randomInt(1000) / 4;
    case "dateTime":
      return "2026-03-01T10:15:30Z";
    case "binary":
      return Buffer.from(randomToken()).toString("base64");
    case "reference":
      return `https://directory.example/${randomToken()}`;
    default:
      return attribute.canonicalValues?.[0] ?? randomToken();
  }
}
