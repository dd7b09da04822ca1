import { parsePatchPath } from "../../../scim/filter/parse-path.js";
import { fail, ok, type Result } from "../../../scim/result.js";
import type { ExpressionError, ExpressionNode } from "./expression-ast.js";
import { clip, lexExpression, type ExpressionToken } from "./lex-expression.js";

/** Limits that keep an untrusted expression cheap to parse and evaluate (Entra allows 10,000 characters). */
export const expressionLimits = { maxLength: 10_000, maxDepth: 32, maxArguments: 100 } as const;

/**
 * Parses a mapping expression:
 *
 *     expression := literal | path | name "(" [ expression { "," expression } ] ")"
 *     literal    := "text" | 'text' | number | true | false
 *
 * A path is a source path in the PATCH path grammar (RFC 7644 §3.5.2). Never throws; the error names the
 * 1-based column and what was expected there, e.g. `expected ")" at column 14`.
 */
export function parseExpression(text: string): Result<ExpressionNode, ExpressionError> {
  if (text.length > expressionLimits.maxLength) {
    return fail({ column: expressionLimits.maxLength + 1, message: `the expression is ${text.length} characters long; at most ${expressionLimits.maxLength} are accepted` });
  }
  const tokens = lexExpression(text);
  if (!tokens.ok) return tokens;
  const parser = new ExpressionParser(tokens.value);
  if (parser.peek().kind === "end") return fail({ column: 1, message: "the expression is empty" });
  const node = parser.parse(0);
  if (!node.ok) return node;
  const next = parser.peek();
  if (next.kind !== "end") return fail({ column: next.start + 1, message: `expected the end of the expression, found ${describe(next)}` });
  return node;
}

/** A recursive-descent parser over the token list. */
class ExpressionParser {
  private readonly tokens: readonly ExpressionToken[];
  private position = 0;

  constructor(tokens: readonly ExpressionToken[]) {
    this.tokens = tokens;
  }

  peek(): ExpressionToken {
    return this.tokens[Math.min(this.position, this.tokens.length - 1)] as ExpressionToken;
  }

  private next(): ExpressionToken {
    const token = this.peek();
    if (token.kind !== "end") this.position += 1;
    return token;
  }

  parse(depth: number): Result<ExpressionNode, ExpressionError> {
    const token = this.next();
    if (depth >= expressionLimits.maxDepth) return fail({ column: token.start + 1, message: `functions are nested more than ${expressionLimits.maxDepth} deep` });
    switch (token.kind) {
      case "string":
        return ok({ kind: "literal", start: token.start, value: token.value });
      case "number":
        return ok({ kind: "literal", start: token.start, value: token.value });
      case "word":
        if (this.peek().kind === "(") return this.parseCall(token, depth);
        return wordNode(token);
      default:
        return fail({ column: token.start + 1, message: `expected a value (a "string", a number, a source path or a function call), found ${describe(token)}` });
    }
  }

  private parseCall(name: Extract<ExpressionToken, { kind: "word" }>, depth: number): Result<ExpressionNode, ExpressionError> {
    if (!/^[A-Za-z][A-Za-z0-9]*$/.test(name.text)) return fail({ column: name.start + 1, message: `"${clip(name.text)}" is not a function name` });
    this.next();
    const args: ExpressionNode[] = [];
    if (this.peek().kind === ")") {
      this.next();
      return ok({ kind: "call", start: name.start, name: name.text.toLowerCase(), written: name.text, args });
    }
    for (;;) {
      if (args.length >= expressionLimits.maxArguments) return fail({ column: this.peek().start + 1, message: `a function takes at most ${expressionLimits.maxArguments} arguments` });
      const arg = this.parse(depth + 1);
      if (!arg.ok) return arg;
      args.push(arg.value);
      const separator = this.next();
      if (separator.kind === ")") return ok({ kind: "call", start: name.start, name: name.text.toLowerCase(), written: name.text, args });
      if (separator.kind !== ",") return fail({ column: separator.start + 1, message: `expected "," or ")" after argument ${args.length} of ${name.text}(), found ${describe(separator)}` });
    }
  }
}

/** A word not followed by "(": `true`, `false`, or a source path. */
function wordNode(token: Extract<ExpressionToken, { kind: "word" }>): Result<ExpressionNode, ExpressionError> {
  const lower = token.text.toLowerCase();
  if (lower === "true" || lower === "false") return ok({ kind: "literal", start: token.start, value: lower === "true" });
  const path = parsePatchPath(token.text);
  if (!path.ok) {
    // The path parser counts from the start of the path; shift its position to the expression's column.
    const detail = path.error.detail.replace(/^Invalid path at position (\d+): /, "").replace(/^Invalid filter in path at position (\d+): /, "");
    const local = /at position (\d+)/.exec(path.error.detail)?.[1];
    const column = token.start + (local === undefined ? 1 : Number(local));
    return fail({ column, message: `invalid source path "${clip(token.text)}": ${detail.replace(/\.$/, "")}` });
  }
  return ok({ kind: "path", start: token.start, text: token.text, path: path.value });
}

function describe(token: ExpressionToken): string {
  switch (token.kind) {
    case "end":
      return "the end of the expression";
    case "string":
      return `the string ${clip(JSON.stringify(token.value))}`;
    case "number":
      return `the number ${token.text}`;
    case "word":
      return `"${clip(token.text)}"`;
    default:
      return `"${token.kind}"`;
  }
}
