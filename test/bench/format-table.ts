export type Cell = string | number;

/** A number with `digits` decimals, or — when it is not finite (nothing measured). */
export const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '—');

/** Left-aligns the first `textColumns` columns and right-aligns the rest; columns as wide as their widest cell. */
export function formatTable(rows: readonly (readonly Cell[])[], textColumns = 1): string {
  const text = rows.map((row) => row.map(String));
  const widths = (text[0] ?? []).map((_, col) => Math.max(...text.map((row) => (row[col] ?? '').length)));
  return text
    .map((row) =>
      row
        .map((cell, col) =>
          col < textColumns ? cell.padEnd(widths[col] ?? 0) : cell.padStart(widths[col] ?? 0),
        )
        .join('  '),
    )
    .join('\n');
}
