import { describe, expect, it } from "vitest";
import { registry } from "../../../scim/schema/registry.js";
import { Urn } from "../../../scim/urns.js";
import type { SourceResource } from "../source-resource.js";
import { compileExpression } from "./compile-expression.js";
import { describeExpressionError } from "./expression-ast.js";
import { evaluateExpression } from "./evaluate-expression.js";

const users = registry.forType("User");
const alex: SourceResource = {
  id: "3f1c",
  created: "2026-01-02T03:04:05.000Z",
  attributes: {
    userName: "Alex.Ng@Example.com",
    name: { givenName: "Alex", familyName: "Ng" },
    displayName: "  Alex Ng  ",
    active: true,
    userType: "Contractor",
    emails: [
      { value: "home@example.net", type: "home" },
      { value: "alex@example.com", type: "work", primary: true },
    ],
    phoneNumbers: [{ value: "+1 555 0100", type: "work" }],
    [Urn.EnterpriseUser]: { department: "Sales", employeeNumber: "00042" },
  },
};

function run(text: string, source: SourceResource = alex): unknown {
  const compiled = compileExpression(users, text);
  if (!compiled.ok) throw new Error(describeExpressionError(compiled.error));
  const value = evaluateExpression(compiled.value, source);
  if (!value.ok) throw new Error(value.error);
  return value.value;
}

function compileError(text: string): string {
  const compiled = compileExpression(users, text);
  if (compiled.ok) throw new Error(`compiled: ${text}`);
  return describeExpressionError(compiled.error);
}

function runError(text: string): string {
  const compiled = compileExpression(users, text);
  if (!compiled.ok) throw new Error(describeExpressionError(compiled.error));
  const value = evaluateExpression(compiled.value, alex);
  if (value.ok) throw new Error(`evaluated: ${text}`);
  return value.error;
}

describe("expression functions", () => {
  it("reads source paths: attributes, sub-attributes, filtered and primary values, extensions, id and meta", () => {
    expect(run("userName")).toBe("Alex.Ng@Example.com");
    expect(run("name.givenName")).toBe("Alex");
    expect(run("emails.value")).toBe("alex@example.com");
    expect(run('emails[type eq "home"].value')).toBe("home@example.net");
    expect(run('emails[type eq "other"].value')).toBeUndefined();
    expect(run(`${Urn.EnterpriseUser}:department`)).toBe("Sales");
    expect(run("department")).toBe("Sales");
    expect(run("id")).toBe("3f1c");
    expect(run("meta.created")).toBe("2026-01-02T03:04:05.000Z");
    expect(run("nickName")).toBeUndefined();
  });

  it("lower, upper and trim change text and leave unassigned values unassigned", () => {
    expect(run("lower(userName)")).toBe("alex.ng@example.com");
    expect(run("UPPER(name.familyName)")).toBe("NG");
    expect(run("trim(displayName)")).toBe("Alex Ng");
    expect(run('trim("   ")')).toBeUndefined();
    expect(run("lower(nickName)")).toBeUndefined();
    expect(run("lower(active)")).toBe("true");
  });

  it("join skips unassigned values", () => {
    expect(run('join(" ", name.givenName, name.middleName, name.familyName)')).toBe("Alex Ng");
    expect(run('join("-", nickName, title)')).toBeUndefined();
    expect(run('join(", ", department, 42, active)')).toBe("Sales, 42, true");
  });

  it("coalesce gives the first assigned value", () => {
    expect(run('coalesce(nickName, name.givenName, "x")')).toBe("Alex");
    expect(run("coalesce(nickName, title)")).toBeUndefined();
    expect(run('coalesce(title, "")')).toBeUndefined();
  });

  it("append needs both parts", () => {
    expect(run('append(name.givenName, "@contoso.example")')).toBe("Alex@contoso.example");
    expect(run('append(nickName, "@contoso.example")')).toBeUndefined();
    expect(run("append(name.givenName, nickName)")).toBeUndefined();
  });

  it("replace replaces every occurrence of plain text", () => {
    expect(run('replace(userName, "Example.com", "example.org")')).toBe("Alex.Ng@example.org");
    expect(run('replace("a.b.c", ".", "")')).toBe("abc");
    expect(run('replace("a+b", "+", nickName)')).toBe("ab");
    expect(run('replace("(x)", "(", "[")')).toBe("[x)");
    expect(runError('replace(userName, "", "x")')).toBe("replace() needs text to find, but it is empty or unassigned (at column 1)");
  });

  it("left counts whole characters", () => {
    expect(run("left(name.givenName, 1)")).toBe("A");
    expect(run('left("🙂🙃x", 2)')).toBe("🙂🙃");
    expect(run("left(name.givenName, 100)")).toBe("Alex");
    expect(run("left(name.givenName, 0)")).toBeUndefined();
    expect(runError("left(userName, 1.5)")).toBe("left() needs a whole number of characters, 0 or more, but got 1.5 (at column 1)");
    expect(runError("lower(left(userName, -1))")).toBe("left() needs a whole number of characters, 0 or more, but got -1 (at column 7)");
  });

  it("not negates booleans and boolean text", () => {
    expect(run("not(active)")).toBe(false);
    expect(run('not("FALSE")')).toBe(true);
    expect(run("not(title)")).toBeUndefined();
    expect(runError("not(userName)")).toBe('not() needs a boolean, but got "Alex.Ng@Example.com" (at column 1)');
  });

  it("switch picks the result of the matching key, else the default", () => {
    expect(run('switch(userType, "Member", "Contractor", "Guest", "Vendor", "Guest")')).toBe("Guest");
    expect(run('switch(department, "Other", "Marketing", "M")')).toBe("Other");
    expect(run('switch(title, "None", "x", "y")')).toBe("None");
    expect(run('switch(active, "disabled", "true", "enabled")')).toBe("enabled");
  });

  it("nests", () => {
    expect(run('lower(join(".", left(name.givenName, 1), coalesce(nickName, name.familyName)))')).toBe("a.ng");
  });

  it("rejects unknown functions, wrong argument counts and kinds before running, with the column", () => {
    expect(compileError("lowr(userName)")).toBe('unknown function "lowr" (known: lower, upper, trim, join, coalesce, append, replace, left, not, switch) at column 1');
    expect(compileError("lower(userName, title)")).toBe("lower() takes 1 argument, got 2: lower(value) at column 1");
    expect(compileError('join(" ")')).toBe("join() takes at least 2 arguments, got 1: join(separator, value, …) at column 1");
    expect(compileError("upper(emails)")).toBe("upper() needs text, but argument 1 is a list of values at column 7");
    expect(compileError('join(" ", userName, name)')).toBe("join() needs text, but argument 3 is a complex value at column 21");
    expect(compileError('left(userName, "2")')).toBe("left() needs a number of characters, but argument 2 is text at column 16");
    expect(compileError("not(emails)")).toBe("not() needs a boolean, but argument 1 is a list of values at column 5");
    expect(compileError('switch(userType, "a", "b")')).toMatch(/^switch\(\) takes at least 4 arguments/);
    expect(compileError('switch(userType, "a", "b", "c", "d")')).toMatch(/^switch\(\) needs a result for every key.* at column 33$/);
    expect(compileError("lower(password)")).toBe('"password": passwords are stored only as hashes, so there is nothing to send at column 7');
    expect(compileError("lower(groups.display)")).toMatch(/derived from memberships .* at column 7$/);
    expect(compileError("lower(nosuch)")).toMatch(/unknown attribute "nosuch" .* at column 7$/);
  });
});
