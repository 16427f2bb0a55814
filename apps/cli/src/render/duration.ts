// Durations as `argo get` shows them: the two largest units, e.g. `0s`, `5s`, `1m 3s`, `2h 1m`.

export function formatDuration(ms: number): string {
  let seconds = Math.max(0, Math.round(ms / 1000));
  const units: [string, number][] = [['d', 86_400], ['h', 3_600], ['m', 60], ['s', 1]];
  const parts: string[] = [];
  for (const [unit, size] of units) {
    const count = Math.floor(seconds / size);
    seconds -= count * size;
    if (count > 0 || (unit === 's' && parts.length === 0)) parts.push(`${count}${unit}`);
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}

export function nodeDuration(startedAt: string | undefined, finishedAt: string | undefined, now: Date): number {
  if (!startedAt) return 0;
  return (finishedAt ? Date.parse(finishedAt) : now.getTime()) - Date.parse(startedAt);
}
