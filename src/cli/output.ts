/** Prints rows as an aligned text table (for humans) — `--json` prints JSON instead. */
export function printTable(rows: readonly Record<string, string>[], columns: readonly string[], write: (line: string) => void = console.log): void {
  if (rows.length === 0) {
    write("(none)");
    return;
  }
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: readonly string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd();
  write(line(columns));
  for (const row of rows) write(line(columns.map((column) => row[column] ?? "")));
}

/** Prints a value as pretty JSON. */
export function printJson(value: unknown): void {
  console.log(JSON.stringify(value, null, 2));
}
