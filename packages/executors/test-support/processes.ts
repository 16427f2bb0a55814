// Test help for "no process outlives its node": find live processes by a marker in their command line.
import { readdirSync, readFileSync } from 'node:fs';

/** Pids of live processes whose command line names the marker. */
export function processesWith(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker)) pids.push(Number(entry));
    } catch {
      // It exited while we looked.
    }
  }
  return pids;
}
