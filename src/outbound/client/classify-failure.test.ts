import { describe, expect, it } from "vitest";
import { AddressRefusedError } from "./address-guard.js";
import { classifyFailure } from "./classify-failure.js";

const context = { method: "POST", path: "/Users", secrets: ["tok-123"] };
const failure = (code: string, message = `failed ${code}`) => Object.assign(new Error(message), { code });

describe("classifyFailure", () => {
  it("says a refused connection or an unknown host never reached the target", () => {
    for (const code of ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT"]) {
      expect(classifyFailure(failure(code), context), code).toMatchObject({ kind: "transient", code, maybeSent: false });
    }
  });

  it("says a reset or closed connection may have reached the target", () => {
    for (const code of ["ECONNRESET", "EPIPE", "UND_ERR_SOCKET", "UND_ERR_CLOSED"]) {
      expect(classifyFailure(failure(code), context), code).toMatchObject({ kind: "transient", code, maybeSent: true });
    }
    expect(classifyFailure(new Error("odd"), context)).toMatchObject({ kind: "transient", maybeSent: true });
  });

  it("classifies certificate failures as refused, with a fix about the certificate", () => {
    for (const code of ["CERT_HAS_EXPIRED", "DEPTH_ZERO_SELF_SIGNED_CERT", "SELF_SIGNED_CERT_IN_CHAIN", "UNABLE_TO_VERIFY_LEAF_SIGNATURE", "ERR_TLS_CERT_ALTNAME_INVALID"]) {
      const error = classifyFailure(failure(code), context);
      expect(error, code).toMatchObject({ kind: "refused", code: "certificate", maybeSent: false });
      expect(error.fix).toMatch(/certificate/);
    }
  });

  it("finds our address refusal and codes inside causes and aggregate errors", () => {
    const refusal = new AddressRefusedError("privateAddress", "scim.test", "10.0.0.1", "a private address (RFC 1918)");
    expect(classifyFailure(new Error("wrapped", { cause: refusal }), context)).toMatchObject({ kind: "refused", code: "privateAddress", maybeSent: false });
    expect(classifyFailure(new AggregateError([failure("ECONNREFUSED"), failure("ECONNREFUSED")]), context)).toMatchObject({ code: "ECONNREFUSED", maybeSent: false });
  });

  it("reports the client's own timeout", () => {
    expect(classifyFailure(new Error("aborted"), { ...context, timeoutMs: 30_000 })).toMatchObject({ kind: "transient", code: "timeout", summary: "no answer within 30 s" });
  });

  it("redacts the token from network error messages", () => {
    expect(classifyFailure(failure("ECONNRESET", "reset while sending tok-123"), context).message).not.toContain("tok-123");
  });
});
