import { randomBytes } from "node:crypto";
import { ExpectedDirectory, type ExpectedUser } from "./expected-directory.js";
import { oktaProfile } from "./profiles.js";
import { check, ReplaySession } from "./replay-session.js";
import type { ReplayOptions, ReplayReport } from "./replay.js";

const coreUser = "urn:ietf:params:scim:schemas:core:2.0:User";
const coreGroup = "urn:ietf:params:scim:schemas:core:2.0:Group";

/**
 * Replays an Okta provisioning cycle in Okta's shapes (COMPATIBILITY.md §2): the credential test,
 * existence check then create (with a password and `groups: []`) for every user, profile updates by
 * GET + full PUT, deactivation and reactivation by path-less PATCH (Okta never deletes users), Group
 * Push (create, rename with the id echoed, membership remove+add in one request, a full PUT), an
 * unlinked group deleted, and an import that pages through every user. Ends by comparing the server
 * with what Okta expects.
 */
export async function replayOktaCycle(options: ReplayOptions): Promise<ReplayReport> {
  const session = new ReplaySession(oktaProfile, options.baseUrl, options.token);
  const run = options.runId;
  const directory = new ExpectedDirectory(`replay-${run}-`, `Replay ${run} `);
  const progress = options.progress;
  const userCount = Math.max(options.users, 12);
  const groupCount = Math.max(options.groups, 3);

  progress("Test API Credentials");
  await session.call("test credentials (users)", "GET", "/Users?startIndex=1&count=2", undefined, 200);
  await session.call("test credentials (groups)", "GET", "/Groups?startIndex=1&count=100", undefined, 200);

  progress(`checking and creating ${userCount} users`);
  const users: ExpectedUser[] = [];
  for (let i = 1; i <= userCount; i++) {
    const n = String(i).padStart(3, "0");
    const userName = `${directory.userPrefix}okta${n}@example.org`;
    const exists = await session.filter(`existence check ${n}`, "Users", `userName eq "${userName}"`, "startIndex=1&count=100");
    check(exists.body.totalResults === 0, `existence check ${n}: ${userName} must not exist yet`);
    const externalId = `00u${randomBytes(8).toString("hex")}`;
    const created = await session.call(`create user ${n}`, "POST", "/Users", {
      schemas: [coreUser],
      userName,
      name: { givenName: "Okta", familyName: `Person ${n}` },
      emails: [{ primary: true, value: userName, type: "work" }],
      displayName: `Okta Person ${n}`,
      locale: "en-US",
      externalId,
      groups: [],
      password: randomBytes(12).toString("base64url"),
      active: true,
    }, 201);
    check(created.body?.userName === userName && typeof created.body.id === "string", `create user ${n}: Okta needs the created user in the 201 body`);
    check(created.body.password === undefined, `create user ${n}: the password must never come back`);
    const user: ExpectedUser = { id: created.body.id, userName, externalId, active: true, givenName: "Okta", familyName: `Person ${n}`, workEmail: userName };
    directory.users.set(userName, user);
    users.push(user);
  }

  progress("pushing profile updates (GET, then PUT of the whole user)");
  for (const user of users.slice(0, 4)) {
    const current = await session.call(`read ${user.userName}`, "GET", `/Users/${user.id}`, undefined, 200);
    const updated = { ...current.body, name: { ...current.body.name, givenName: "Renamed" }, title: "Manager", groups: [] };
    const replaced = await session.call(`update ${user.userName}`, "PUT", `/Users/${user.id}`, updated, 200);
    check(replaced.body.name?.givenName === "Renamed", `update ${user.userName}: the PUT response must show the new givenName`);
    Object.assign(user, { givenName: "Renamed", title: "Manager" });
  }

  progress("deactivating and reactivating users");
  for (const user of users.slice(4, 7)) {
    await session.call(`deactivate ${user.userName}`, "PATCH", `/Users/${user.id}`, patch({ op: "replace", value: { active: false } }), [200, 204]);
    user.active = false;
  }
  const back = users[4]!;
  await session.call(`reactivate ${back.userName}`, "PATCH", `/Users/${back.id}`, patch({ op: "replace", value: { active: true } }), [200, 204]);
  back.active = true;

  progress(`pushing ${groupCount} groups`);
  const groups = [];
  for (let g = 1; g <= groupCount; g++) {
    const displayName = `${directory.groupPrefix}Team ${g}`;
    const exists = await session.filter(`group existence check ${g}`, "Groups", `displayName eq "${displayName}"`);
    check(exists.body.totalResults === 0, `group existence check ${g}: "${displayName}" must not exist yet`);
    const created = await session.call(`push group ${g}`, "POST", "/Groups", { schemas: [coreGroup], displayName, members: [] }, 201);
    const members = users.filter((_, i) => i % groupCount === g - 1);
    await session.call(`push members of group ${g}`, "PATCH", `/Groups/${created.body.id}`, patch(
      { op: "replace", value: { id: created.body.id, displayName } },
      { op: "add", path: "members", value: members.map((user) => ({ value: user.id, display: user.userName })) },
    ), [200, 204]);
    const group = { id: created.body.id, displayName, members: new Set(members.map((user) => user.userName)) };
    directory.groups.set(displayName, group);
    groups.push(group);
  }

  progress("renaming a group, changing memberships");
  const [first, second, third] = groups as [typeof groups[number], typeof groups[number], typeof groups[number]];
  const renamed = `${second.displayName} Renamed`;
  await session.call("rename a group", "PATCH", `/Groups/${second.id}`, patch({ op: "replace", value: { id: second.id, displayName: renamed } }), [200, 204]);
  directory.groups.delete(second.displayName);
  directory.groups.set(renamed, { ...second, displayName: renamed });
  const leaving = directory.users.get([...first.members][0]!)!;
  const joining = users.find((user) => !first.members.has(user.userName))!;
  await session.call("move a member", "PATCH", `/Groups/${first.id}`, patch(
    { op: "remove", path: `members[value eq "${leaving.id}"]` },
    { op: "add", path: "members", value: [{ value: joining.id, display: joining.userName }] },
  ), [200, 204]);
  first.members.delete(leaving.userName);
  first.members.add(joining.userName);
  const everyone = users.slice(0, 5);
  await session.call("replace a group (PUT)", "PUT", `/Groups/${third.id}`, {
    schemas: [coreGroup],
    id: third.id,
    displayName: third.displayName,
    members: everyone.map((user) => ({ value: user.id, display: user.userName })),
  }, 200);
  third.members = new Set(everyone.map((user) => user.userName));

  progress("unlinking a group (delete in the app)");
  await session.call("delete a group", "DELETE", `/Groups/${third.id}`, undefined, 204);
  directory.groups.delete(third.displayName);

  progress("importing users page by page");
  let seen = 0;
  for (let start = 1; ; start += 100) {
    const page = await session.call("import users", "GET", `/Users?startIndex=${start}&count=100`, undefined, 200);
    check(typeof page.body.totalResults === "number" && typeof page.body.itemsPerPage === "number" && page.body.startIndex === start, "import: paging fields must be numbers");
    seen += page.body.Resources.length;
    if (start + 100 > page.body.totalResults) {
      check(seen === page.body.totalResults, `import: pages held ${seen} users, totalResults says ${page.body.totalResults}`);
      break;
    }
  }

  progress("reading everything back");
  const state = await directory.verify(session);
  return { idp: oktaProfile.name, requests: session.requests, directory, ...state };
}

function patch(...operations: Record<string, unknown>[]): Record<string, unknown> {
  return { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: operations };
}
