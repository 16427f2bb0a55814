// Collects a node's output lines and writes them in batches, so a chatty process costs a few Redis
// calls per second rather than one per line, while `--log` still sees lines within a moment.
import type { LogLine, LogStore } from '@regatta/store';

const FLUSH_MS = 100;
const FLUSH_LINES = 200;

export class LogBatcher {
  private lines: LogLine[] = [];
  private timer?: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: LogStore,
    private readonly uid: string,
    private readonly nodeId: string,
  ) {}

  push(stream: LogLine['stream'], line: string): void {
    this.lines.push({ nodeId: this.nodeId, stream, line });
    if (this.lines.length >= FLUSH_LINES) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  /** Writes what is buffered; resolves once every earlier write has landed. */
  flush(): Promise<void> {
    if (this.lines.length === 0) return this.writing;
    clearTimeout(this.timer);
    this.timer = undefined;
    const lines = this.lines;
    this.lines = [];
    this.writing = this.writing.then(() => this.store.append(this.uid, lines));
    return this.writing;
  }
}
