// What a run prints and records: one aligned line per example file, the summary line, and the
// machine-readable results (results/latest.json).
import type { FileOutcome } from './outcome.js';

const CLASS_WIDTH = 'unsupported'.length + 2;
const MAX_FILE_WIDTH = 48;

export function formatLine(outcome: FileOutcome, fileWidth: number): string {
  const line = `${outcome.class.padEnd(CLASS_WIDTH)}${outcome.file}`;
  return outcome.reason === undefined ? line : `${outcome.class.padEnd(CLASS_WIDTH)}${outcome.file.padEnd(fileWidth)}  ${outcome.reason}`;
}

/** Reasons line up after the file names, but a few very long names do not push every reason far right. */
export function fileWidth(files: string[]): number {
  return Math.min(MAX_FILE_WIDTH, Math.max(0, ...files.map((file) => file.length)));
}

export interface Summary {
  passed: number;
  failed: number;
  /** Unsupported, not a workflow, not run, or not expected to succeed. */
  skipped: number;
  unsupported: number;
  seconds: number;
}

export function summarize(outcomes: FileOutcome[], seconds: number): Summary {
  const count = (name: FileOutcome['class']) => outcomes.filter((outcome) => outcome.class === name).length;
  const unsupported = count('unsupported');
  return { passed: count('pass'), failed: count('fail'), skipped: unsupported + count('skipped'), unsupported, seconds };
}

export function formatSummary(summary: Summary): string {
  const others = summary.skipped - summary.unsupported;
  return (
    `${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped ` +
    `(${summary.unsupported} unsupported, ${others} not a workflow, not run or labelled no-test) in ${summary.seconds.toFixed(1)} s`
  );
}
