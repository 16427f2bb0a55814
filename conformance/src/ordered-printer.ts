// Prints each example file's line as soon as it and every file before it are done: results arrive in
// any order when workflows run several at once, the output keeps the corpus order.
import type { FileOutcome } from './outcome.js';
import { formatLine } from './report.js';

export class OrderedPrinter {
  private readonly finished = new Map<string, FileOutcome>();
  private printed = 0;

  constructor(
    private readonly order: string[],
    private readonly width: number,
  ) {}

  done(outcome: FileOutcome): void {
    this.finished.set(outcome.file, outcome);
    for (let next = this.finished.get(this.order[this.printed]!); next; next = this.finished.get(this.order[this.printed]!)) {
      process.stdout.write(`${formatLine(next, this.width)}\n`);
      this.printed++;
    }
  }

  outcomes(): FileOutcome[] {
    return this.order.map((file) => this.finished.get(file)!);
  }
}
