// Reads why Regatta refused a document: the issues of a refused submission, or what a `regatta`
// command printed. An issue about a feature Regatta does not run (yet) makes the document
// `unsupported`; anything else (invalid YAML, a bad reference) makes it a failure.
import type { Outcome } from './outcome.js';

export interface Issue {
  /** The Argo field path, or `line:col` where the issue has no field. */
  place: string;
  message: string;
}

/** The wordings Regatta uses for a feature it refuses because it does not run it (yet). */
const NOT_RUN_HERE = /not supported|needs the kubernetes executor|cannot run yet/i;
/** commander's answer to a subcommand this build of `regatta` does not have. */
const UNKNOWN_COMMAND = /unknown command '([^']+)'/;

export function classifyIssues(issues: Issue[]): Outcome {
  const unsupported = issues.filter((issue) => NOT_RUN_HERE.test(issue.message));
  if (unsupported.length > 0) return { class: 'unsupported', reason: condense(unsupported) };
  return { class: 'fail', reason: condense(issues) || 'refused without a message' };
}

/** `command` is what was run, e.g. `template create`, to name in the reason when this build lacks it. */
export function classifyCliRefusal(stderr: string, file: string, command: string): Outcome {
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const unknown = lines.map((line) => UNKNOWN_COMMAND.exec(line)).find(Boolean);
  if (unknown) return { class: 'unsupported', reason: `\`regatta ${command}\` is not available yet (unknown command '${unknown[1]}')` };
  // The file is already named by the report's line.
  const messages = lines.map((line) => (line.startsWith(`${file}:`) ? line.slice(file.length + 1).trim() : line));
  return classifyIssues(messages.map((message) => ({ place: '', message })));
}

/** One entry per distinct message, at its first place, with how many other places say the same. */
function condense(issues: Issue[]): string {
  const places = new Map<string, string[]>();
  for (const { place, message } of issues) places.set(message, [...(places.get(message) ?? []), place]);
  return [...places]
    .map(([message, [first, ...more]]) => {
      const where = first ? `${first}${more.length > 0 ? ` (+${more.length} more)` : ''}: ` : '';
      return `${where}${message}`;
    })
    .join('; ');
}
