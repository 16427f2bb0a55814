// What one example came to, per document and per file. A file may hold several documents (templates,
// a CronWorkflow and Workflows together); its line shows the worst of them.

export type OutcomeClass = 'pass' | 'fail' | 'unsupported' | 'skipped';

export const OUTCOME_CLASSES: readonly OutcomeClass[] = ['pass', 'fail', 'unsupported', 'skipped'];

export interface Outcome {
  class: OutcomeClass;
  /** Why, for every class but a plain pass. */
  reason?: string;
}

export interface DocumentOutcome extends Outcome {
  /** `Kind name`, e.g. `Workflow hello-world-` (generateName) or `WorkflowTemplate steps`. */
  document: string;
  /** The submitted workflow's name and the phase it reached, where one ran. */
  workflow?: { name: string; phase: string; seconds: number };
}

export interface FileOutcome extends Outcome {
  /** Relative to the corpus folder, with `/` separators. */
  file: string;
  documents: DocumentOutcome[];
}

/** A failure outranks a missing feature, which outranks a pass; a file of skipped documents is skipped. */
const SEVERITY: Record<OutcomeClass, number> = { fail: 3, unsupported: 2, pass: 1, skipped: 0 };

export function combineOutcomes(file: string, documents: DocumentOutcome[]): FileOutcome {
  if (documents.length === 0) return { file, class: 'skipped', reason: 'no documents', documents };
  const worst = Math.max(...documents.map((d) => SEVERITY[d.class]));
  const deciding = documents.filter((d) => SEVERITY[d.class] === worst);
  const outcomeClass = deciding[0]!.class;
  const reasons = deciding.flatMap((d) => (d.reason === undefined ? [] : [d]));
  const same = new Set(reasons.map((d) => d.reason)).size <= 1;
  const reason = same
    ? reasons[0]?.reason
    : reasons.map((d) => `${d.document}: ${d.reason}`).join('; ');
  return reason === undefined ? { file, class: outcomeClass, documents } : { file, class: outcomeClass, reason, documents };
}
