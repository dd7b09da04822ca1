import { describe, expect, it } from "vitest";
import { readAttributePath, readLiteralWord, tokenize } from "./lexer.js";

describe("tokenize", () => {
  it("splits brackets, strings and words, recording 0-based start positions", () => {
    expect(tokenize('emails[type eq "work"].value').map(({ kind, start, text }) => [kind, start, text])).toEqual([
      ["word", 0, "emails"],
      ["[", 6, "["],
      ["word", 7, "type"],
      ["word", 12, "eq"],
      ["string", 15, '"work"'],
      ["]", 21, "]"],
      ["word", 22, ".value"],
      ["end", 28, ""],
    ]);
  });

  it("keeps a URN with dots and colons as one word", () => {
    const [first] = tokenize("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value pr");
    expect(first).toEqual({ kind: "word", start: 0, text: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value" });
  });

  it("decodes the string value while keeping the raw text", () => {
    const [token] = tokenize(String.raw`"a\"b"`);
    expect(token).toEqual({ kind: "string", start: 0, text: String.raw`"a\"b"`, value: 'a"b' });
  });

  it("turns a broken string into an error token at the problem and stops there", () => {
    const tokens = tokenize('title eq "abc\\q" and x pr');
    expect(tokens.map((token) => token.kind)).toEqual(["word", "word", "error", "end"]);
    expect(tokens[2]).toMatchObject({ kind: "error", start: 13, message: 'invalid escape "\\q" in a string; use \\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX' });
  });
});

describe("readAttributePath", () => {
  it("splits a URN prefix at the last colon and the sub-attribute at the dot after it", () => {
    expect(readAttributePath("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value")).toEqual({
      ok: true,
      value: { uri: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", attribute: "manager", subAttribute: "value" },
    });
  });

  it("rejects a URN prefix without a namespace", () => {
    expect(readAttributePath("urn:x").ok).toBe(false);
  });

  it("rejects a trailing dot", () => {
    expect(readAttributePath("name.").ok).toBe(false);
  });
});

describe("readLiteralWord", () => {
  it("reads JSON keywords in any case and JSON numbers, and nothing else", () => {
    expect(readLiteralWord("TRUE")).toEqual({ ok: true, value: true });
    expect(readLiteralWord("-1.5e2")).toEqual({ ok: true, value: -150 });
    expect(readLiteralWord("+1")).toBeUndefined();
    expect(readLiteralWord("0x10")).toBeUndefined();
    expect(readLiteralWord("Infinity")).toBeUndefined();
    expect(readLiteralWord("1e309")).toEqual({ ok: false, error: "the number 1e309 is out of range" });
  });
});
