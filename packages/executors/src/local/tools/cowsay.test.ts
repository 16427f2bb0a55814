import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { builtinArgv } from '../builtin-tools.js';

function cowsay(...args: string[]): { stdout: string; stderr: string; code: number | null } {
  const [file, ...prefix] = builtinArgv('cowsay');
  const { stdout, stderr, status } = spawnSync(file!, [...prefix, ...args], { encoding: 'utf8' });
  return { stdout, stderr, code: status };
}

const COW = String.raw`        \   ^__^
         \  (oo)\_______
            (__)\       )\/\
                ||----w |
                ||     ||
`;

// Expected output is that of Debian's cowsay 3.03 for the same arguments.
describe('cowsay', () => {
  it('says its arguments, joined by spaces, in a one-line balloon', () => {
    expect(cowsay('hello', 'world')).toEqual({ stdout: ` _____________\n< hello world >\n -------------\n${COW}`, stderr: '', code: 0 });
  });

  it("wraps at 40 columns with Text::Wrap's fill: blanks collapsed, lines of at most 39 characters", () => {
    const words = Array.from({ length: 16 }, (_, index) => `word${index + 1}`).join('  ');
    expect(cowsay(words).stdout).toBe(
      ' ________________________________________\n' +
        '/ word1 word2 word3 word4 word5 word6    \\\n' +
        '| word7 word8 word9 word10 word11 word12 |\n' +
        '\\ word13 word14 word15 word16            /\n' +
        ` ----------------------------------------\n${COW}`,
    );
  });

  it('cuts a word longer than a line', () => {
    expect(cowsay(`${'a'.repeat(45)} b`).stdout).toBe(` _________________________________________\n/ ${'a'.repeat(39)} \\\n\\ aaaaaa b${' '.repeat(31)} /\n -----------------------------------------\n${COW}`);
  });

  it('says nothing with no message, as with stdin at /dev/null', () => {
    expect(cowsay().stdout).toBe(` __\n<  >\n --\n${COW}`);
  });

  it('refuses options', () => {
    expect(cowsay('-f', 'tux', 'hi')).toMatchObject({ stdout: '', code: 2, stderr: "cowsay: option -f is not supported by Regatta's local cowsay\n" });
  });
});
