import { describe, expect, it } from 'vitest';
import { alignColumns, fitWidth, visibleWidth } from './table.js';

const red = (text: string) => `\x1b[31m${text}\x1b[39m`;

describe('alignColumns', () => {
  it('pads each column to its widest cell plus two, leaving the last cell as it is', () => {
    expect(alignColumns([['A', 'BB', 'last one'], ['CCC', 'D', 'x'], ['']])).toEqual(['A    BB  last one', 'CCC  D   x', '']);
  });

  it('pads by three for `regatta list`, over 200,000 rows (a busy namespace)', () => {
    const rows = [['NAME', 'STATUS'], ...Array.from({ length: 200_000 }, (_, i) => [`wf-${i}`, 'Succeeded'])];
    const lines = alignColumns(rows, 3);
    expect(lines[0]).toBe('NAME        STATUS');
    expect(lines[200_000]).toBe('wf-199999   Succeeded');
  });

  it('measures cells without their colour escapes', () => {
    expect(alignColumns([[red('✖ a'), 'x'], ['bbbb', 'y']])).toEqual([`${red('✖ a')}   x`, 'bbbb  y']);
    expect(visibleWidth(red('✖ a'))).toBe(3);
  });
});

describe('fitWidth', () => {
  it('cuts a line to the width', () => {
    expect(fitWidth('abcdef', 4)).toBe('abcd');
    expect(fitWidth('abc', 4)).toBe('abc');
  });

  it('counts no escape as a column and keeps every reset', () => {
    expect(fitWidth(`${red('✖')} message`, 3)).toBe(`${red('✖')} m`);
    expect(fitWidth(`ab ${red('✖')}`, 2)).toBe(`ab${red('')}`);
  });
});
