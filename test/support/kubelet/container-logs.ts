// What a container wrote, line by line with the time each came, kept in memory for as long as its pod is
// on the node: the kubelet's containerLogs endpoint reads it (tailLines, sinceSeconds, timestamps) and
// follows it until the container has ended.
import { EventEmitter } from 'node:events';

export interface LogLine {
  time: Date;
  stream: 'stdout' | 'stderr';
  text: string;
}

export interface LogQuery {
  tailLines?: number;
  sinceSeconds?: number;
  timestamps?: boolean;
  /** Applied by the server, to the bytes it sends. */
  limitBytes?: number;
}

export class ContainerLog {
  private readonly lines: LogLine[] = [];
  private readonly events = new EventEmitter();
  private ended = false;

  append(stream: 'stdout' | 'stderr', text: string): void {
    const line = { time: new Date(), stream, text };
    this.lines.push(line);
    this.events.emit('line', line);
  }

  /** The container has exited: followers stop once they have its last line. */
  end(): void {
    this.ended = true;
    this.events.emit('end');
  }

  /** The lines asked for as the kubelet sends them; then, with `follow`, each new one until the end or `signal`. */
  async *read(query: LogQuery, follow: boolean, signal: AbortSignal): AsyncGenerator<string> {
    const since = query.sinceSeconds === undefined ? undefined : Date.now() - query.sinceSeconds * 1000;
    let lines = since === undefined ? this.lines.slice() : this.lines.filter(({ time }) => time.getTime() >= since);
    if (query.tailLines !== undefined) lines = query.tailLines === 0 ? [] : lines.slice(-query.tailLines);
    const format = ({ time, text }: LogLine) => `${query.timestamps ? `${time.toISOString()} ` : ''}${text}\n`;
    // Lines that come while the past ones are sent wait in `pending`, so none is lost nor sent twice.
    const pending: LogLine[] = [];
    let wake: (() => void) | undefined;
    const onLine = (line: LogLine) => {
      pending.push(line);
      wake?.();
    };
    const onEnd = () => wake?.();
    if (follow) {
      this.events.on('line', onLine);
      this.events.on('end', onEnd);
      signal.addEventListener('abort', onEnd, { once: true });
    }
    try {
      for (const line of lines) yield format(line);
      while (follow && !signal.aborted) {
        if (pending.length > 0) {
          yield format(pending.shift()!);
          continue;
        }
        if (this.ended) return;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    } finally {
      this.events.off('line', onLine);
      this.events.off('end', onEnd);
      signal.removeEventListener('abort', onEnd);
    }
  }
}
