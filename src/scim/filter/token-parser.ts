import { fail, ok, type Result } from "../result.js";
import type { AttributePath, CompareOperator, FilterNode, Literal } from "./ast.js";
import { describeToken, isAttributeName, readAttributePath, readLiteralWord, type SyntaxProblem, type Token } from "./lexer.js";

/** Abuse guards shared by every filter and path parser: longest accepted text, deepest nesting of `(`, `not (` and `[`. */
export const filterLimits = { maxLength: 8192, maxDepth: 64 } as const;

/** A parse step's outcome: a value, or the problem and where it is. */
export type Parsed<T> = Result<T, SyntaxProblem>;

const compareOperators: ReadonlySet<string> = new Set<CompareOperator>(["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"]);
const operatorList = "(eq, ne, co, sw, ew, gt, ge, lt, le, pr)";

/** What ends the expression being parsed: the whole text, a `)` or a `]`. */
type Closer = "end" | ")" | "]";

interface Scope {
  readonly closer: Closer;
  /** True inside `attr[…]`, where another value filter may not start (RFC 7644 errata 4690). */
  readonly inValueFilter: boolean;
}

/**
 * Recursive-descent parser over the lexer's tokens for the RFC 7644 §3.4.2.2 grammar, with precedence
 * grouping > `not` > `and` > `or`, and `and`/`or` associating to the left. Keywords and operators are
 * case-insensitive. Used by parseFilter for whole filters and by parsePatchPath for the bracketed part.
 */
export class TokenParser {
  private readonly tokens: readonly Token[];
  private readonly endName: string;
  private index = 0;
  private depth = 0;

  /** `endName` is how the end of input is named in details ("the end of the filter"). */
  constructor(tokens: readonly Token[], endName: string) {
    this.tokens = tokens;
    this.endName = endName;
  }

  /** The token `offset` places ahead, without consuming it (the `end` token once input is exhausted). */
  peek(offset = 0): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)] as Token;
  }

  /** Consumes and returns the next token. */
  next(): Token {
    const token = this.peek();
    if (this.index < this.tokens.length - 1) this.index += 1;
    return token;
  }

  /** A problem located at `token`, saying what was expected and what was found instead. */
  unexpected(token: Token, expected: string): SyntaxProblem {
    if (token.kind === "error") return { position: token.start, message: token.message };
    return { position: token.start, message: `expected ${expected}, found ${describeToken(token, this.endName)}` };
  }

  /** Parses a complete filter: FILTER followed by the end of the text. */
  parseWholeFilter(): Parsed<FilterNode> {
    const node = this.parseOr({ closer: "end", inValueFilter: false });
    if (!node.ok) return node;
    const end = this.expectCloser("end");
    return end.ok ? node : end;
  }

  /** Parses `"[" valFilter "]"` at the current token (which must be `[`). */
  parseBracketFilter(): Parsed<FilterNode> {
    const open = this.next();
    if (open.kind !== "[") return fail(this.unexpected(open, '"["'));
    const entered = this.enter(open);
    if (!entered.ok) return entered;
    const inner = this.parseOr({ closer: "]", inValueFilter: true });
    if (!inner.ok) return inner;
    const close = this.expectCloser("]");
    this.depth -= 1;
    return close.ok ? inner : close;
  }

  private parseOr(scope: Scope): Parsed<FilterNode> {
    let left = this.parseAnd(scope);
    while (left.ok && this.atKeyword("or")) {
      this.next();
      const right = this.parseAnd(scope);
      if (!right.ok) return right;
      left = ok({ kind: "or", left: left.value, right: right.value });
    }
    return left;
  }

  private parseAnd(scope: Scope): Parsed<FilterNode> {
    let left = this.parseUnary(scope);
    while (left.ok && this.atKeyword("and")) {
      this.next();
      const right = this.parseUnary(scope);
      if (!right.ok) return right;
      left = ok({ kind: "and", left: left.value, right: right.value });
    }
    return left;
  }

  private parseUnary(scope: Scope): Parsed<FilterNode> {
    const token = this.peek();
    if (token.kind === "(") {
      this.next();
      return this.parseGroup(token, scope);
    }
    if (token.kind === "word" && token.text.toLowerCase() === "not" && !this.notIsAttributeName()) {
      this.next();
      const open = this.next();
      if (open.kind !== "(") return fail(this.unexpected(open, `"(" after "${token.text}" (write not (…))`));
      const operand = this.parseGroup(open, scope);
      return operand.ok ? ok({ kind: "not", operand: operand.value }) : operand;
    }
    if (token.kind === "word") return this.parseAttributeExpression(scope);
    return fail(this.unexpected(token, 'an attribute path, "(" or "not"'));
  }

  /** `not` names an attribute only when an operator or `[` follows it (`not pr`); otherwise it is the keyword. */
  private notIsAttributeName(): boolean {
    const following = this.peek(1);
    return following.kind === "[" || (following.kind === "word" && isOperatorWord(following.text));
  }

  /** Parses the inside of `( … )` after the opening token has been consumed. */
  private parseGroup(open: Token, scope: Scope): Parsed<FilterNode> {
    const entered = this.enter(open);
    if (!entered.ok) return entered;
    const inner = this.parseOr({ closer: ")", inValueFilter: scope.inValueFilter });
    if (!inner.ok) return inner;
    const close = this.expectCloser(")");
    this.depth -= 1;
    return close.ok ? inner : close;
  }

  private parseAttributeExpression(scope: Scope): Parsed<FilterNode> {
    const pathToken = this.next();
    const path = readAttributePath(pathToken.text);
    if (!path.ok) return fail({ position: pathToken.start, message: `expected an attribute path, but ${path.error}` });
    if (this.peek().kind !== "[") return this.parseOperatorTail(path.value, pathToken.text);
    if (scope.inValueFilter) {
      return fail({ position: this.peek().start, message: `value filters cannot be nested: "${pathToken.text}[" appears inside another "[…]"` });
    }
    const inner = this.parseBracketFilter();
    if (!inner.ok) return inner;
    const after = this.peek();
    if (after.kind !== "word" || !after.text.startsWith(".")) return ok({ kind: "valuePath", path: path.value, filter: inner.value });
    // Real clients write `emails[type eq "work"].value eq "x"`; it means one element satisfies both tests.
    this.next();
    const subName = after.text.slice(1);
    if (!isAttributeName(subName)) {
      return fail({ position: after.start, message: `expected a sub-attribute name after "]", found "${after.text}"` });
    }
    const tail = this.parseOperatorTail({ attribute: subName }, `]${after.text}`);
    if (!tail.ok) return tail;
    return ok({ kind: "valuePath", path: path.value, filter: { kind: "and", left: inner.value, right: tail.value } });
  }

  /** Parses `SP "pr"` or `SP compareOp SP compValue` after an attribute path. */
  private parseOperatorTail(path: AttributePath, shownPath: string): Parsed<FilterNode> {
    const operatorToken = this.peek();
    if (operatorToken.kind !== "word" || !isOperatorWord(operatorToken.text)) {
      return fail(this.unexpected(operatorToken, `a comparison operator ${operatorList} after "${shownPath}"`));
    }
    this.next();
    const op = operatorToken.text.toLowerCase();
    if (op === "pr") return ok({ kind: "present", path });
    const valueToken = this.next();
    const value = readValue(valueToken);
    if (value === undefined) return fail(this.unexpected(valueToken, `a value (a "string", a number, true, false or null) after "${operatorToken.text}"`));
    if (!value.ok) return fail({ position: valueToken.start, message: value.error });
    return ok({ kind: "compare", path, op: op as CompareOperator, value: value.value });
  }

  private expectCloser(closer: Closer): Parsed<true> {
    const token = this.peek();
    if (token.kind === closer) {
      if (closer !== "end") this.next();
      return ok(true);
    }
    const closerName = closer === "end" ? this.endName : `"${closer}"`;
    return fail(this.unexpected(token, `"and", "or" or ${closerName}`));
  }

  private atKeyword(keyword: "and" | "or"): boolean {
    const token = this.peek();
    return token.kind === "word" && token.text.toLowerCase() === keyword;
  }

  private enter(open: Token): Parsed<true> {
    this.depth += 1;
    if (this.depth <= filterLimits.maxDepth) return ok(true);
    return fail({ position: open.start, message: `nesting is deeper than ${filterLimits.maxDepth} levels of "(" and "["` });
  }
}

function isOperatorWord(text: string): boolean {
  const lower = text.toLowerCase();
  return lower === "pr" || compareOperators.has(lower);
}

/** The literal a token spells, undefined when the token cannot be a value at all, or a range error. */
function readValue(token: Token): Result<Literal, string> | undefined {
  if (token.kind === "string") return ok(token.value);
  return token.kind === "word" ? readLiteralWord(token.text) : undefined;
}
