import { describe, expect, it } from "vitest";
import { activityResourceOf, pathUnderBase } from "./scim-activity.js";

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
