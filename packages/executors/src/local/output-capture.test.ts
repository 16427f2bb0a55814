import { describe, expect, it } from 'vitest';
import { LineSplitter, RESULT_LIMIT, TailBuffer } from './output-capture.js';

function split(chunks: Buffer[], lineLimit?: number): string[] {
  const lines: string[] = [];
  const splitter = new LineSplitter((line) => lines.push(line), lineLimit);
  for (const chunk of chunks) splitter.push(chunk);
  splitter.end();
  return lines;
}

describe('LineSplitter', () => {
  it('emits lines as they complete and flushes a last partial line at the end', () => {
    expect(split([Buffer.from('one\ntw'), Buffer.from('o\nthree')])).toEqual(['one', 'two', 'three']);
  });

  it('keeps a multi-byte character whole when a chunk boundary cuts it', () => {
    const bytes = Buffer.from('é\n');
    expect(split([bytes.subarray(0, 1), bytes.subarray(1)])).toEqual(['é']);
  });

  it('logs a line longer than the limit in pieces, holding no more than the limit', () => {
    expect(split([Buffer.from('abcdefg'), Buffer.from('h\n')], 3)).toEqual(['abc', 'def', 'gh']);
  });
});

describe('TailBuffer', () => {
  it('trims exactly one trailing newline', () => {
    const tail = new TailBuffer();
    tail.push(Buffer.from('a\n\n'));
    expect(tail.result()).toBe('a\n');
  });

  it('keeps the last 256 KiB of a 300 KiB output, after trimming the newline', () => {
    const tail = new TailBuffer();
    for (let i = 0; i < 300; i++) tail.push(Buffer.alloc(1024, i < 299 ? 'a' : 'z'));
    tail.push(Buffer.from('\n'));
    const result = tail.result();
    expect(result).toHaveLength(RESULT_LIMIT);
    expect(result.endsWith(`a${'z'.repeat(1024)}`)).toBe(true);
  });

  it('starts a cut tail on a whole character', () => {
    const tail = new TailBuffer(4);
    tail.push(Buffer.from('ééé'));
    expect(tail.result()).toBe('éé');
  });
});
