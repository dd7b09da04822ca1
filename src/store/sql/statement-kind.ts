import type { StatementKind } from "../store-observer.js";

const keywords: Readonly<Record<string, StatementKind>> = {
  select: "select",
  with: "select",
  insert: "insert",
  update: "update",
  delete: "delete",
  begin: "transaction",
  commit: "transaction",
  rollback: "transaction",
  savepoint: "transaction",
  release: "transaction",
};

const firstWord = /^\s*\(?\s*([A-Za-z]+)/;

/** What a statement does, from its first keyword: `select …` → select, `begin immediate` → transaction, `pragma …` → other. */
export function statementKindOf(sql: string): StatementKind {
  const word = firstWord.exec(sql)?.[1]?.toLowerCase();
  return (word !== undefined && keywords[word]) || "other";
}
