// Column layout as Go's tabwriter gives `argo get` (each column two spaces wider than its widest cell),
// measured without colour escapes, and lines cut to the terminal's width.

const ESCAPE = /\x1b\[[0-9;]*m/g;
/** Splits a line into text and escapes, the escapes kept (as odd parts). */
const ESCAPE_SPLIT = /(\x1b\[[0-9;]*m)/;

/** Columns on screen: code points, escapes counting for none. */
export function visibleWidth(text: string): number {
  return [...text.replace(ESCAPE, '')].length;
}

/** Pads every cell but each row's last to its column's width plus `padding`; trailing blanks are dropped. */
export function alignColumns(rows: readonly (readonly string[])[], padding = 2): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.slice(0, -1).forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, visibleWidth(cell));
    });
  }
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - visibleWidth(cell) + padding)))
      .join('')
      .trimEnd(),
  );
}

/** Keeps the first `width` visible columns; escapes are all kept so every colour still gets reset. */
export function fitWidth(line: string, width: number): string {
  let used = 0;
  return line
    .split(ESCAPE_SPLIT)
    .map((part, i) => {
      if (i % 2 === 1) return part;
      const kept = [...part].slice(0, Math.max(0, width - used));
      used += kept.length;
      return kept.join('');
    })
    .join('');
}
