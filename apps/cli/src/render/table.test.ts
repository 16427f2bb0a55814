import { describe, expect, it } from 'vitest';
import { alignColumns, fitWidth, visibleWidth } from './table.js';

const red = (text: string) => `\x1b[31m${text}\x1b[39m`;

describe('alignColumns', () => {
  it('pads each column to its widest cell plus two, leaving the last cell as it is', () => {
    expect(alignColumns([['A', 'BB', 'last one'], ['CCC', 'D', 'x'], ['']])).toEqual(['A    BB  last one', 'CCC  D   x', '']);
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
