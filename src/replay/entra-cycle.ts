import { randomUUID } from "node:crypto";
import { ExpectedDirectory, type ExpectedUser } from "./expected-directory.js";
import { entraProfile } from "./profiles.js";
import { check, ReplaySession } from "./replay-session.js";
import type { ReplayOptions, ReplayReport } from "./replay.js";

const coreUser = "urn:ietf:params:scim:schemas:core:2.0:User";
const enterpriseUrn = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const departments = ["Finance", "Sales", "Engineering", "Support", "Legal"];

/**
 * Replays a Microsoft Entra ID initial provisioning cycle and the changes that follow, request by
 * request in Entra's shapes (COMPATIBILITY.md §1): Test Connection probes; for every user a match
 * query then a create; groups matched by displayName with members excluded, created, then members
 * added several at a time; managers; attribute updates in both PATCH dialects (ENT-40); disables
 * with the string "False"; member removals both ways (ENT-55); a group rename; user and group deletes.
 * Ends by reading everything back and comparing it with what Entra expects to be there.
 */
export async function replayEntraCycle(options: ReplayOptions): Promise<ReplayReport> {
  const session = new ReplaySession(entraProfile, options.baseUrl, options.token);
  const run = options.runId;
  const directory = new ExpectedDirectory(`replay-${run}-`, `Replay ${run} `);
  const progress = options.progress;
  // Each phase below takes its own slice of users; 30 keeps the slices apart.
  const userCount = Math.max(options.users, 30);
  const groupCount = Math.max(options.groups, 5);

  progress(`Test Connection`);
  const probe = await session.filter("Test Connection", "Users", `userName eq "${randomUUID()}"`);
  check(probe.body.totalResults === 0 && Array.isArray(probe.body.Resources), "Test Connection: a random GUID must give an empty ListResponse");
  await session.filter("Test Connection (group probe)", "Groups", `displayName eq "${randomUUID()}"`, "excludedAttributes=members");

  progress(`matching and creating ${userCount} users`);
  const users: ExpectedUser[] = [];
  for (let i = 1; i <= userCount; i++) {
    const n = String(i).padStart(3, "0");
    const userName = `${directory.userPrefix}user${n}@contoso.example`;
    const match = await session.filter(`match user ${n}`, "Users", `userName eq "${userName}"`);
    check(match.body.totalResults === 0, `match user ${n}: ${userName} must not exist yet`);
    const department = departments[i % departments.length]!;
    const body = {
      schemas: [coreUser, enterpriseUrn],
      externalId: `${directory.userPrefix}user${n}`,
      userName,
      active: true,
      displayName: `Replay User ${n}`,
      emails: [{ primary: true, type: "work", value: userName }],
      meta: { resourceType: "User" },
      name: { formatted: `Replay User ${n}`, familyName: `User ${n}`, givenName: "Replay" },
      roles: [],
      [enterpriseUrn]: { department, employeeNumber: `E${n}` },
    };
    const created = await session.call(`create user ${n}`, "POST", "/Users", body, 201);
    check(typeof created.body?.id === "string", `create user ${n}: the 201 body must carry the id`);
    const user: ExpectedUser = { id: created.body.id, userName, externalId: body.externalId, active: true, givenName: "Replay", familyName: `User ${n}`, workEmail: userName, department };
    directory.users.set(userName, user);
    users.push(user);
  }

  progress(`matching and creating ${groupCount} groups, adding members`);
  for (let g = 1; g <= groupCount; g++) {
    const displayName = `${directory.groupPrefix}Group ${g}`;
    const match = await session.filter(`match group ${g}`, "Groups", `displayName eq "${displayName.toLowerCase()}"`, "excludedAttributes=members");
    check(match.body.totalResults === 0, `match group ${g}: "${displayName}" must not exist yet`);
    const externalId = randomUUID();
    const created = await session.call(`create group ${g}`, "POST", "/Groups", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group", "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
      externalId,
      displayName,
      meta: { resourceType: "Group" },
    }, 201);
    // Each user joins one group by number; the first five join every group.
    const members = users.filter((_, i) => i % groupCount === g - 1 || i < 5);
    for (let start = 0; start < members.length; start += 10) {
      const batch = members.slice(start, start + 10);
      await session.call(`add members to group ${g}`, "PATCH", `/Groups/${created.body.id}`, patch({ op: "Add", path: "members", value: batch.map((user) => ({ $ref: null, value: user.id })) }), [200, 204]);
    }
    directory.groups.set(displayName, { id: created.body.id, displayName, externalId, members: new Set(members.map((user) => user.userName)) });
  }

  progress("setting managers");
  const boss = users[0]!;
  for (const user of users.slice(1, 11)) {
    // Live Entra sends the manager's id as a bare string (ENT-34).
    await session.call(`manager of ${user.userName}`, "PATCH", `/Users/${user.id}`, patch({ op: "Add", path: `${enterpriseUrn}:manager`, value: boss.id }), [200, 204]);
    user.managerUserName = boss.userName;
  }

  progress("updating users in both PATCH dialects");
  for (const [index, user] of users.slice(11, 21).entries()) {
    const newEmail = user.userName.replace("@contoso.example", "@new.contoso.example");
    const address = `${index + 1} Main Street, Oslo`;
    const body =
      index % 2 === 0
        ? patch(
            { op: "Replace", path: 'emails[type eq "work"].value', value: newEmail },
            { op: "Replace", path: "name.familyName", value: `${user.familyName} Updated` },
            { op: "Add", path: 'addresses[type eq "work"].formatted', value: address },
            { op: "Add", path: "title", value: "Analyst" },
          )
        : patch(
            { op: "replace", path: 'emails[type eq "work"].value', value: newEmail },
            { op: "add", path: 'addresses[type eq "work"].formatted', value: address },
            { op: "replace", value: { "name.familyName": `${user.familyName} Updated`, title: "Analyst" } },
          );
    await session.call(`update ${user.userName}`, "PATCH", `/Users/${user.id}`, body, [200, 204]);
    Object.assign(user, { workEmail: newEmail, familyName: `${user.familyName} Updated`, workAddress: address, title: "Analyst" });
  }

  progress("disabling users");
  for (const [index, user] of users.slice(21, 24).entries()) {
    const body = index % 2 === 0 ? patch({ op: "Replace", path: "active", value: "False" }) : patch({ op: "replace", path: "active", value: false });
    await session.call(`disable ${user.userName}`, "PATCH", `/Users/${user.id}`, body, [200, 204]);
    user.active = false;
    const found = await session.filter(`find disabled ${user.userName}`, "Users", `userName eq "${user.userName}"`);
    check(found.body.totalResults === 1 && found.body.Resources[0].active === false, `a disabled user must still be found, with active false (ENT-37)`);
  }

  progress("removing members, renaming a group");
  const groups = [...directory.groups.values()];
  const [first, second, third] = groups as [typeof groups[number], typeof groups[number], typeof groups[number]];
  const removeFromFirst = [...first.members].map((name) => directory.users.get(name)!).find((user) => user !== boss)!;
  await session.call("remove a member (value array)", "PATCH", `/Groups/${first.id}`, patch({ op: "Remove", path: "members", value: [{ value: removeFromFirst.id }] }), [200, 204]);
  first.members.delete(removeFromFirst.userName);
  const removeFromSecond = [...second.members].map((name) => directory.users.get(name)!).find((user) => user !== boss)!;
  await session.call("remove a member (filter)", "PATCH", `/Groups/${second.id}`, patch({ op: "remove", path: `members[value eq "${removeFromSecond.id}"]` }), [200, 204]);
  second.members.delete(removeFromSecond.userName);
  const renamed = `${third.displayName} Renamed`;
  await session.call("rename a group", "PATCH", `/Groups/${third.id}`, patch({ op: "Replace", path: "displayName", value: renamed }), [200, 204]);
  directory.groups.delete(third.displayName);
  directory.groups.set(renamed, { ...third, displayName: renamed });

  progress("deleting users and a group");
  for (const user of users.slice(-5)) {
    await session.call(`delete ${user.userName}`, "DELETE", `/Users/${user.id}`, undefined, 204);
    await session.call(`read deleted ${user.userName}`, "GET", `/Users/${user.id}`, undefined, 404);
    directory.users.delete(user.userName);
    for (const group of directory.groups.values()) group.members.delete(user.userName);
  }
  const lastGroup = groups[groups.length - 1]!;
  await session.call("delete a group", "DELETE", `/Groups/${lastGroup.id}`, undefined, 204);
  directory.groups.delete(lastGroup.displayName);

  progress("reading everything back");
  const state = await directory.verify(session);
  return { idp: entraProfile.name, requests: session.requests, directory, ...state };
}

function patch(...operations: Record<string, unknown>[]): Record<string, unknown> {
  return { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: operations };
}
