import { describe, expect, it } from "vitest";
import { activityResourceOf, pathUnderBase, scimOperationOf } from "./scim-activity.js";

describe("pathUnderBase", () => {
  it.each([
    ["/scim/v2/acme/Users/2819c223?attributes=userName", "/Users/2819c223"],
    ["/scim/v2/ACME//Groups/", "/Groups"],
    ["//scim/v2/acme/.search", "/.search"],
    ["/scim/v2/acme", "/"],
    ["/scim/v2/acme/", "/"],
    ["/scim/v2/acme/Users?filter=userName%20eq%20%22a%40x%22", "/Users"],
  ])("%s → %s", (url, expected) => {
    expect(pathUnderBase(url)).toBe(expected);
  });
});

describe("activityResourceOf", () => {
  it.each([
    ["/Users", "Users"],
    ["/users/7", "Users"],
    ["/Users/.search", "Users"],
    ["/Groups/9", "Groups"],
    ["/Bulk", "Bulk"],
    ["/.search", "Search"],
    ["/ServiceProviderConfig", "Discovery"],
    ["/ResourceTypes/User", "Discovery"],
    ["/Schemas", "Discovery"],
    ["/Me", "Other"],
    ["/", "Other"],
  ])("%s is %s", (path, expected) => {
    expect(activityResourceOf(path)).toBe(expected);
  });
});

describe("scimOperationOf", () => {
  it.each([
    ["GET", "/Users", "list"],
    ["POST", "/Users", "create"],
    ["DELETE", "/Users", "other"],
    ["GET", "/Users/2819c223", "get"],
    ["PUT", "/Users/2819c223", "replace"],
    ["PATCH", "/groups/7", "patch"],
    ["DELETE", "/Groups/7", "delete"],
    ["POST", "/Users/7", "other"],
    ["POST", "/Users/.search", "search"],
    ["GET", "/Users/.search", "other"],
    ["GET", "/Users/7/extra", "other"],
    ["POST", "/.search", "search"],
    ["POST", "/Bulk", "bulk"],
    ["GET", "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User", "discovery"],
    ["POST", "/ServiceProviderConfig", "discovery"],
    ["GET", "/Me", "other"],
    ["GET", "/", "other"],
  ])("%s %s is %s", (method, path, expected) => {
    expect(scimOperationOf(method, activityResourceOf(path), path)).toBe(expected);
  });
});
