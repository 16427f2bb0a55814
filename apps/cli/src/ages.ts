// Relative times as Argo's flags take them (`--since 1h`, `--older 1d`, `logs --since 5m`): a sequence
// of whole numbers with units s, m, h and d.
const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds of `text` such as `90s`, `1h30m`, `2d`; throws naming `flag` otherwise. */
export function parseAge(text: string, flag: string): number {
  const parts = [...text.matchAll(/(\d+)([smhd])/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== text) {
    throw new Error(`${flag} expects a duration such as 30s, 5m, 1h30m or 2d, got "${text}"`);
  }
  return parts.reduce((total, [, count, unit]) => total + Number(count) * UNITS[unit!]!, 0);
}

/** The RFC 3339 time `age` (as parseAge reads it) before now. */
export const timeAgo = (age: string, flag: string): string => new Date(Date.now() - parseAge(age, flag)).toISOString();
