import { describe, expect, it } from "vitest";
import { searchTermsOf, searchWordsOf } from "./search-terms.js";

describe("searchTermsOf", () => {
  it("gives a user's folded words of userName, names, displayName, nickName and emails, with email domains", () => {
    const terms = searchTermsOf("User", {
      userName: "Alex.Ng@Example.COM",
      displayName: "Alex Ng",
      nickName: "Lex",
      name: { formatted: "Dr. Alex Ng", givenName: "Alex", middleName: "J", familyName: "Ng" },
      emails: [{ value: "alex@home.example", type: "home" }, { value: "Alex.Ng@example.com", primary: true }],
      title: "Engineer",
    });
    expect(terms.sort()).toEqual(["alex", "alex.ng@example.com", "alex@home.example", "dr.", "example.com", "home.example", "j", "lex", "ng"]);
  });

  it("gives a group's words of displayName only", () => {
    expect(searchTermsOf("Group", { displayName: "EMEA  Sales Team", externalId: "x-1" })).toEqual(["emea", "sales", "team"]);
  });

  it("folds with the one fold function (NFC, lower case)", () => {
    expect(searchTermsOf("User", { userName: "ÅSA" })).toEqual(["åsa"]);
    expect(searchTermsOf("User", { userName: "A\u030ASA" })).toEqual(["åsa"]);
  });

  it("ignores values that are not strings and keeps at most 64 terms of at most 100 code points", () => {
    expect(searchTermsOf("User", { userName: "u", name: { givenName: 7 }, emails: [{ value: null }, "x"] } as never)).toEqual(["u"]);
    const many = searchTermsOf("User", { userName: "u", displayName: Array.from({ length: 100 }, (_, i) => `w${i}`).join(" ") });
    expect(many).toHaveLength(64);
    expect([...searchTermsOf("User", { userName: "😀".repeat(150) })[0]!]).toHaveLength(100);
  });
});

describe("searchWordsOf", () => {
  it("folds, splits on whitespace and drops repeats", () => {
    expect(searchWordsOf("  Alex   NG alex ")).toEqual(["alex", "ng"]);
  });

  it("is empty for blank text and keeps at most 8 words", () => {
    expect(searchWordsOf(" \t ")).toEqual([]);
    expect(searchWordsOf("a b c d e f g h i j")).toHaveLength(8);
  });
});
