import type { FastifyInstance, FastifyReply } from "fastify";
import secureJson from "secure-json-parse";
import { scimError } from "../scim/errors.js";
import { protocolLimits } from "../scim/limits.js";
import { readBody } from "./read-body.js";

/** RFC 7644 §8.1: the media type of every SCIM response. */
export const scimMediaType = "application/scim+json; charset=utf-8";

/** Sets the SCIM media type on a reply. */
export function asScim(reply: FastifyReply): FastifyReply {
  return reply.type(scimMediaType);
}

/**
 * Request bodies: `application/scim+json` and `application/json` (with any parameters, RFC-12,
 * ENT-03, OKT-02, GH-HARNESS), and bodies without a Content-Type, are parsed as JSON with
 * prototype-poisoning protection and a nesting limit. Anything else is 415. A body over the route's
 * limit is 413, and like a 415 it is answered only after the body was read (up to a bound): clients
 * that send the whole body before reading get the error instead of a broken pipe.
 */
export function registerJsonBodies(app: FastifyInstance): void {
  app.removeContentTypeParser(["application/json", "text/plain"]);
  app.addContentTypeParser("*", (request, payload, done) => {
    const type = (request.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
    const limit = request.routeOptions.bodyLimit ?? protocolLimits.maxBodyBytes;
    const declared = request.headers["content-length"] === undefined ? undefined : Number(request.headers["content-length"]);
    readBody(payload, Number.isFinite(declared) ? declared : undefined, limit).then((read) => {
      if (type !== "" && type !== "application/json" && type !== "application/scim+json" && !/^application\/[\w.+-]*\+json$/.test(type)) {
        done(scimError("unsupportedMediaType", `Content-Type "${type}" is not supported; send application/scim+json or application/json.`), undefined);
      } else if (!read.ok) {
        done(read.reason === "tooLarge" ? tooLarge(limit) : scimError("invalidSyntax", "The request body does not match its Content-Length."), undefined);
      } else {
        parseJsonBody(request.method, read.text, done);
      }
    }, (error: unknown) => done(error instanceof Error ? error : new Error(String(error)), undefined));
  });
}

function tooLarge(limit: number) {
  return scimError("payloadTooLarge", `The request body exceeds this endpoint's limit of ${limit} bytes (${(limit / 1024 / 1024).toFixed(0)} MiB).`);
}

/** Parses a whole body as JSON, refusing prototype poisoning and deep nesting. */
function parseJsonBody(method: string, body: string, done: (error: Error | null, body?: unknown) => void): void {
  if (body.trim() === "") {
    // Some HTTP clients label bodiless GET and DELETE requests with a Content-Type; there is nothing to parse.
    if (method === "GET" || method === "DELETE") done(null, undefined);
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
