// Collects a node's output lines and writes them in batches, so a chatty process costs a few Redis
// calls per second rather than one per line, while `--log` still sees lines within a moment. A node
// writes at most MAX_LOG_BYTES_PER_NODE bytes of lines: the line that would pass it is replaced by a
// notice and later ones are dropped, so one runaway process cannot take its workflow's whole log
// budget (LogStore's, per workflow) or the worker's memory.
import type { LogLine, LogStore } from '@regatta/store';

const FLUSH_MS = 100;
const FLUSH_LINES = 200;
export const MAX_LOG_BYTES_PER_NODE = 16 * 1024 * 1024;

export class LogBatcher {
  private lines: LogLine[] = [];
  private timer?: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();
  private bytes = 0;

  constructor(
    private readonly store: LogStore,
    private readonly uid: string,
    private readonly nodeId: string,
    private readonly maxBytes = MAX_LOG_BYTES_PER_NODE,
  ) {}

  push(stream: LogLine['stream'], line: string): void {
    if (this.bytes > this.maxBytes) return;
    this.bytes += Buffer.byteLength(line);
    if (this.bytes > this.maxBytes) {
      this.lines.push({ nodeId: this.nodeId, stream: 'stderr', line: `[regatta] this node's logs reached ${this.maxBytes} bytes; later lines are dropped` });
    } else {
      this.lines.push({ nodeId: this.nodeId, stream, line });
    }
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
