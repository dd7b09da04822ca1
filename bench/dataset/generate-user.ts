import type { JsonObject } from "../../src/scim/json.js";
import { SeededRandom } from "../random.js";
import { departments, familyNames, givenNames, groupWords, homeDomains, offices, titles, workDomains } from "./names.js";
import type { TenantPlan } from "./tenant-plan.js";

/** Schema URNs of the bodies the bench sends (RFC 7643 §8.7). */
export const coreUserUrn = "urn:ietf:params:scim:schemas:core:2.0:User";
export const enterpriseUserUrn = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
export const coreGroupUrn = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const patchOpUrn = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/** The facts of generated user `index` that requests are built from. */
export interface UserFacts {
  readonly index: number;
  readonly userName: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly workEmail: string;
}

/** Letters and digits of a name for an email address: "Müller" → "muller", "O'Brien" → "obrien". */
export function emailPart(name: string): string {
  return name.normalize("NFD").replace(/[\u0300-\u036f]/gu, "").replace(/[^A-Za-z0-9]/gu, "").toLowerCase();
}

/** The user who manages user `index`: a tree with eight reports per manager, rooted at user 0. */
export function managerIndex(index: number): number | undefined {
  return index === 0 ? undefined : Math.floor((index - 1) / 8);
}

/** When user `index` was created: one a minute from 2024-01-01, so a million users span two years. */
export function createdAt(index: number): Date {
  return new Date(Date.UTC(2024, 0, 1) + index * 60_000);
}

function identity(seed: number, index: number): { rng: SeededRandom; facts: UserFacts; domain: string } {
  const rng = SeededRandom.forItem(seed, index);
  const givenName = rng.pick(givenNames);
  const familyName = rng.pick(familyNames);
  const domain = rng.pick(workDomains);
  const userName = `${emailPart(givenName)}.${emailPart(familyName)}.${index}@${domain}`;
  return { rng, domain, facts: { index, userName, givenName, familyName, workEmail: userName } };
}

/** The identifying facts of user `index`, without building its whole body. */
export function userFacts(plan: Pick<TenantPlan, "seed">, index: number): UserFacts {
  return identity(plan.seed, index).facts;
}

/**
 * The SCIM body an IdP would POST for user `index` (core and enterprise attributes as Entra ID sends
 * them: work and home emails, phones, a work address, department, cost centre, manager). The same
 * index always gives the same body; indexes past the tenant's size give new users.
 */
export function userBody(plan: Pick<TenantPlan, "seed">, index: number, managerId?: string): JsonObject {
  const { rng, facts, domain } = identity(plan.seed, index);
  const { givenName, familyName, userName } = facts;
  const department = rng.pick(departments);
  const office = rng.pick(offices);
  const title = rng.pick(titles);
  const extension = 1000 + rng.int(9000);
  const enterprise: JsonObject = {
    employeeNumber: String(100_000 + index),
    costCenter: department.costCenter,
    organization: "Contoso",
    division: department.division,
    department: department.name,
  };
  if (managerId !== undefined) enterprise.manager = { value: managerId };
  return {
    schemas: [coreUserUrn, enterpriseUserUrn],
    externalId: rng.uuid(),
    userName,
    active: index % 25 !== 0,
    displayName: `${givenName} ${familyName}`,
    name: { formatted: `${givenName} ${familyName}`, familyName, givenName },
    title,
    userType: domain.startsWith("contractors.") ? "Contractor" : "Employee",
    preferredLanguage: office.language,
    locale: office.language,
    emails: [
      { value: userName, type: "work", primary: true },
      { value: `${emailPart(givenName)}${emailPart(familyName)}${index}@${rng.pick(homeDomains)}`, type: "home", primary: false },
    ],
    phoneNumbers: [
      { value: `${office.phonePrefix} ${extension}`, type: "work" },
      { value: `+1 555 ${String(rng.int(10_000_000)).padStart(7, "0")}`, type: "mobile" },
    ],
    addresses: [
      {
        type: "work",
        streetAddress: office.street,
        locality: office.locality,
        region: office.region,
        postalCode: office.postalCode,
        country: office.country,
        formatted: `${office.street}\n${office.postalCode} ${office.locality}\n${office.country}`,
        primary: true,
      },
    ],
    [enterpriseUserUrn]: enterprise,
  };
}

/** The displayName of group `index`: "All Employees", "Leadership Council", then "<Department> <Word> <n>". */
export function groupName(plan: Pick<TenantPlan, "seed">, index: number): string {
  if (index === 0) return "All Employees";
  if (index === 1) return "Leadership Council";
  const rng = SeededRandom.forItem(plan.seed ^ 0x67726f75, index);
  return `${rng.pick(departments).name} ${rng.pick(groupWords)} ${index}`;
}

/** The SCIM body of group `index`, without members (they are added as rows). */
export function groupBody(plan: Pick<TenantPlan, "seed">, index: number): JsonObject {
  const rng = SeededRandom.forItem(plan.seed ^ 0x65787469, index);
  return { schemas: [coreGroupUrn], displayName: groupName(plan, index), externalId: rng.uuid() };
}

/** The user indexes of group `index`: the first users for the big group, random ones for the others. */
export function groupMemberIndexes(plan: TenantPlan, index: number): number[] {
  if (index === 0) return Array.from({ length: plan.bigGroupSize }, (_, i) => i);
  const rng = SeededRandom.forItem(plan.seed ^ 0x6d656d62, index);
  const size = index === 1 ? plan.smallGroupSize : plan.groupMembers === undefined ? 2 + rng.int(29) : 1 + rng.int(2 * plan.groupMembers - 1);
  return rng.distinct(size, plan.users);
}
