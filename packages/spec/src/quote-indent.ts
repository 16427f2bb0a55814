// go-yaml, which Argo and kubectl read YAML with, takes a multi-line quoted string whose later lines
// are not indented past its key, and several of Argo's own examples write `args: ["⏎ …⏎ "]` so; the
// YAML spec and the `yaml` package refuse it. Indenting those lines changes no value, as a quoted
// string drops the leading spaces of its continuation lines, so YAML that fails is retried so indented.

/**
 * `text` with each continuation line of a multi-line quoted scalar indented past the key that opened
 * it, or undefined when no line needed it. A rough scan, not a parser: callers keep its result only
 * when it parses cleanly.
 */
export function indentQuotedContinuations(text: string): string | undefined {
  const lines = text.split('\n');
  let open: { quote: string; minIndent: number } | undefined;
  /** While inside a block scalar (`|`, `>`), the indentation its content lines exceed. */
  let blockParent: number | undefined;
  let changed = false;
  lines.forEach((line, n) => {
    const indent = indentOf(line);
    const blank = line.trim() === '';
    if (blockParent !== undefined) {
      if (blank || indent > blockParent) return;
      blockParent = undefined;
    }
    let from = 0;
    if (open) {
      if (!blank && indent < open.minIndent) {
        line = ' '.repeat(open.minIndent - indent) + line;
        lines[n] = line;
        changed = true;
      }
      const end = closingQuote(line, open.quote, 0);
      if (end < 0) return;
      from = end + 1;
      open = undefined;
    }
    const found = scanLine(line, from, from === 0);
    if (found === '|') blockParent = indent;
    else if (found) open = { quote: found, minIndent: keyColumn(line) + 1 };
  });
  return changed ? lines.join('\n') : undefined;
}

function indentOf(line: string): number {
  return /^ */.exec(line)?.[0].length ?? 0;
}

/** Where the line's own content starts, past indentation and sequence dashes (`- - key: …`). */
function keyColumn(line: string): number {
  return /^[ -]*/.exec(line)?.[0].length ?? 0;
}

/**
 * Scans one line from `from`; answers the quote that is still open at its end, `|` when a block
 * scalar starts, or undefined. `expecting` tracks whether a new scalar may start here.
 */
function scanLine(line: string, from: number, expecting: boolean): string | undefined {
  for (let i = from; i < line.length; i++) {
    const ch = line[i] ?? '';
    const next = line[i + 1];
    const separated = next === undefined || next === ' ' || next === '\t' || next === '\r';
    if (ch === ' ' || ch === '\t' || ch === '\r') continue;
    if (ch === '#' && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t')) return undefined;
    if (expecting && (ch === '"' || ch === "'")) {
      const end = closingQuote(line, ch, i + 1);
      if (end < 0) return ch;
      i = end;
      expecting = false;
    } else if (expecting && (ch === '|' || ch === '>')) return '|';
    else if (expecting && (ch === '&' || ch === '!')) {
      // An anchor or a tag comes before the scalar it names.
      while (i + 1 < line.length && line[i + 1] !== ' ') i++;
    } else if ('[{,'.includes(ch)) expecting = true;
    else if (ch === ':') expecting = separated || line[i - 1] === '"' || line[i - 1] === "'";
    else expecting = expecting && (ch === '-' || ch === '?') && separated;
  }
  return undefined;
}

/** Index of the quote closing a scalar opened before `from`, or -1; `\"` and `''` are escapes. */
function closingQuote(line: string, quote: string, from: number): number {
  for (let i = from; i < line.length; i++) {
    if (quote === '"' && line[i] === '\\') i++;
    else if (line[i] === quote) {
      if (quote === "'" && line[i + 1] === "'") i++;
      else return i;
    }
  }
  return -1;
}
