// Node logs, one Redis stream per workflow, so `logs --follow` reads them live with XREAD BLOCK
// and the lines of all nodes keep their order. A workflow's lines are bounded in number (older ones
// trimmed) and in bytes written (later ones dropped after a notice), so one workflow's output cannot
// fill Redis.
import type { Redis } from 'ioredis';
import type { Keys } from './keys.js';
import { registerScripts, type ScriptCaller } from './scripts.js';

export interface LogLine {
  nodeId: string;
  stream: 'stdout' | 'stderr';
  line: string;
}

/** Keeps a workflow's log stream bounded; older lines are trimmed. */
const MAX_LINES_PER_WORKFLOW = 100_000;
/** Bytes of lines one workflow may write in all; past it, a notice, then nothing. */
export const MAX_LOG_BYTES_PER_WORKFLOW = 64 * 1024 * 1024;

export class LogStore {
  private readonly script: ScriptCaller;

  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    private readonly maxBytesPerWorkflow = MAX_LOG_BYTES_PER_WORKFLOW,
  ) {
    this.script = registerScripts(redis);
  }

  /** Appends lines to the workflow's stream, or drops them when the workflow is gone (deleted while its nodes ran). */
  async append(uid: string, lines: LogLine[]): Promise<void> {
    if (lines.length === 0) return;
    const keys = this.keys.workflow(uid);
    const notice = `[regatta] this workflow's logs reached ${this.maxBytesPerWorkflow} bytes; later lines are dropped`;
    const args: (string | number)[] = [this.maxBytesPerWorkflow, MAX_LINES_PER_WORKFLOW, notice];
    for (const { nodeId, stream, line } of lines) args.push(nodeId, stream, line);
    await this.script('appendLogs', [keys.record, keys.logs], args);
  }

  /** Removes these nodes' lines (Argo's podGC in local mode), scanning the stream in pages. */
  async deleteNodes(uid: string, nodeIds: string[]): Promise<void> {
    const key = this.keys.workflow(uid).logs;
    const wanted = new Set(nodeIds);
    for (let from = '-'; ; ) {
      const page = await this.redis.xrange(key, from, '+', 'COUNT', 1000);
      const doomed = page.filter(([, fields]) => wanted.has(fields[1] ?? '')).map(([id]) => id);
      if (doomed.length > 0) await this.redis.xdel(key, ...doomed);
      if (page.length < 1000) return;
      from = `(${page.at(-1)![0]}`;
    }
  }

  /** Lines after `after` (a stream id, '0' for the start); waits up to blockMs for new ones when given. */
  /** Lines after the stream id `after`. Each with the time it was written, which its stream id holds. */
  async read(uid: string, after: string, blockMs?: number): Promise<{ lines: (LogLine & { time: string })[]; last: string }> {
    const key = this.keys.workflow(uid).logs;
    const args: (string | number)[] = ['COUNT', 1000];
    if (blockMs !== undefined) args.push('BLOCK', blockMs);
    const reply = (await this.redis.call('XREAD', ...args, 'STREAMS', key, after)) as
      | [string, [string, string[]][]][]
      | null;
    const entries = reply?.[0]?.[1] ?? [];
    const lines = entries.map(([id, fields]) => ({
      time: new Date(Number(id.slice(0, id.indexOf('-')))).toISOString(),
      nodeId: fields[1] ?? '',
      stream: (fields[3] === 'stderr' ? 'stderr' : 'stdout') as LogLine['stream'],
      line: fields[5] ?? '',
    }));
    return { lines, last: entries.at(-1)?.[0] ?? after };
  }
}
