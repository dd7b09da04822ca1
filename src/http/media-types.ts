import type { FastifyInstance, FastifyReply } from "fastify";
import secureJson from "secure-json-parse";
import { scimError } from "../scim/errors.js";
import { protocolLimits } from "../scim/limits.js";

/** RFC 7644 §8.1: the media type of every SCIM response. */
export const scimMediaType = "application/scim+json; charset=utf-8";

/** Sets the SCIM media type on a reply. */
export function asScim(reply: FastifyReply): FastifyReply {
  return reply.type(scimMediaType);
}

/**
 * Request bodies: `application/scim+json` and `application/json` (with any parameters, RFC-12,
 * ENT-03, OKT-02, GH-HARNESS), and bodies without a Content-Type, are parsed as JSON with
 * prototype-poisoning protection and a nesting limit. Anything else is 415.
 */
export function registerJsonBodies(app: FastifyInstance): void {
  app.removeContentTypeParser(["application/json", "text/plain"]);
  app.addContentTypeParser("*", { parseAs: "string" }, (request, body, done) => {
    const type = (request.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
    if (type !== "" && type !== "application/json" && type !== "application/scim+json" && !/^application\/[\w.+-]*\+json$/.test(type)) {
      done(scimError("unsupportedMediaType", `Content-Type "${type}" is not supported; send application/scim+json or application/json.`), undefined);
      return;
    }
    if (typeof body !== "string" || body.trim() === "") {
      // Some HTTP clients label bodiless GET and DELETE requests with a Content-Type; there is nothing to parse.
      if (request.method === "GET" || request.method === "DELETE") done(null, undefined);
      else done(scimError("invalidSyntax", "The request body is empty; send a JSON object."), undefined);
      return;
    }
    let value: unknown;
    try {
      value = secureJson.parse(body, { protoAction: "error", constructorAction: "error" });
    } catch (error) {
      // JSON.parse's message names the position ("… in JSON at position 31"); secure-json-parse's names the forbidden key.
      const reason = error instanceof Error ? error.message : String(error);
      done(scimError("invalidSyntax", `The request body is not valid JSON: ${reason}.`), undefined);
      return;
    }
    if (depthOf(value) > protocolLimits.maxJsonDepth) {
      done(scimError("invalidSyntax", `The request body is nested more than ${protocolLimits.maxJsonDepth} levels deep.`), undefined);
      return;
    }
    done(null, value);
  });
}

/** Nesting depth of a parsed JSON value, computed without recursion. */
function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== "object" || node === null) continue;
    deepest = Math.max(deepest, depth);
    if (deepest > protocolLimits.maxJsonDepth) return deepest;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return deepest;
}
