import { describe, expect, it } from "vitest";
import { csvField } from "./audit-csv.js";

describe("csvField", () => {
  it("leaves plain text as it is and writes null as an empty field", () => {
    expect(csvField("tenant.created")).toBe("tenant.created");
    expect(csvField("")).toBe("");
    expect(csvField(null)).toBe("");
  });

  it("quotes fields with commas, quotes or line breaks and doubles the quotes (RFC 4180)", () => {
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField('{"name":"x"}')).toBe('"{""name"":""x""}"');
  });

  it("defuses fields a spreadsheet would run as formulas with a leading apostrophe", () => {
    expect(csvField("=1+1")).toBe("'=1+1");
    expect(csvField("+1")).toBe("'+1");
    expect(csvField("-2+3")).toBe("'-2+3");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField("\tcmd")).toBe("'\tcmd");
    expect(csvField("\r=x")).toBe('"\'\r=x"');
    expect(csvField('=HYPERLINK("https://evil.example","x")')).toBe('"\'=HYPERLINK(""https://evil.example"",""x"")"');
    expect(csvField("a=b")).toBe("a=b");
  });
});
