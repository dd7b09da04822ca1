import { Urn } from "../../scim/urns.js";
import type { AttributeMapping } from "./attribute-mapping.js";
import { compileMappings, type CompiledMappings } from "./compile-mappings.js";
import { describeMappingProblem } from "./attribute-mapping.js";
import type { SourceResource } from "./source-resource.js";

/** Compiles mappings for a test, failing it with every problem when they are invalid. */
export function compiled(type: "User" | "Group", mappings: readonly AttributeMapping[]): CompiledMappings {
  const result = compileMappings(type, mappings);
  if (!result.ok) throw new Error(result.error.map(describeMappingProblem).join("\n"));
  return result.value;
}

/** A user with a value in every attribute the default mappings send, plus the ones they do not. */
export const fullUser: SourceResource = {
  id: "u-alex",
  created: "2026-01-02T03:04:05.000Z",
  lastModified: "2026-02-03T04:05:06.000Z",
  attributes: {
    userName: "alex@example.com",
    externalId: "entra-oid-1",
    name: { formatted: "Dr. Alex Ng", familyName: "Ng", givenName: "Alex", honorificPrefix: "Dr." },
    displayName: "Alex Ng",
    nickName: "Al",
    profileUrl: "https://example.com/alex",
    title: "Engineer",
    userType: "Employee",
    preferredLanguage: "en-GB",
    locale: "en-GB",
    timezone: "Europe/London",
    active: true,
    emails: [
      { value: "alex@example.com", type: "work", primary: true },
      { value: "alex@home.example", type: "home" },
    ],
    phoneNumbers: [{ value: "+44 20 7946 0000", type: "work" }],
    ims: [{ value: "alex", type: "xmpp" }],
    photos: [{ value: "https://example.com/alex.jpg", type: "photo" }],
    addresses: [{ streetAddress: "1 Main St", locality: "London", country: "GB", type: "work", primary: true }],
    entitlements: [{ value: "license-e5" }],
    roles: [{ value: "admin", display: "Administrator" }],
    x509Certificates: [{ value: "MIIB" }],
    [Urn.EnterpriseUser]: {
      employeeNumber: "42",
      costCenter: "CC-1",
      organization: "Example",
      division: "R&D",
      department: "Platform",
      manager: { value: "u-boss" },
    },
  },
};
