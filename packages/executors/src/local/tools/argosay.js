// Regatta's own stand-in for `/argosay`, the entrypoint of Argo's test image argoproj/argosay:v2 (a
// `set -eu` dash script, test/e2e/images/argosay/v2/argosay in argo-workflows), for the local executor,
// which runs it with the worker's Node. Plain JavaScript so that the same file runs from src/ (tests)
// and dist/. Exit codes are the script's: 1 for an unknown sub-command, 2 for a missing argument, and
// those of the tools it calls (cat, grep, sleep, sh).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import { dirname } from 'node:path';
import { getSystemErrorMap } from 'node:util';

/** Ends the script with `code`, after `message` on stderr. */
class Exit extends Error {
  /** @param {number} code @param {string} [message] */
  constructor(code, message = '') {
    super(message);
    this.code = code;
  }
}

/** @typedef {(args: string[]) => number | Promise<number>} Command a sub-command, which returns its exit code */

/** By the script's first argument; an empty one says hello. */
const COMMANDS = new Map(/** @type {[string, Command][]} */ ([
  ['', () => write('hello argo\n')],
  ['echo', echo],
  ['cat', (args) => write(readFile('cat', required(args, 0)))],
  ['assert_contains', (args) => grepFixed(required(args, 1), required(args, 0))],
  ['exit', (args) => exitCode(args[0] || '0')],
  ['sleep', (args) => sleep(required(args, 0))],
  ['sh', (args) => shell(args[0] || '0')],
]));

/** `echo`: "hello argo"; `echo text`; `echo text file` (its folder made). More arguments match no case of the script's: nothing happens. */
function echo(/** @type {string[]} */ args) {
  const [text = 'hello argo', file] = args;
  if (args.length > 2) return 0;
  if (file === undefined) return write(dashEcho(text));
  const folder = dirname(file);
  attempt(() => mkdirSync(folder, { recursive: true }), (reason) => new Exit(1, `mkdir: cannot create directory '${folder}': ${reason}`));
  attempt(() => writeFileSync(file, dashEcho(text)), (reason) => new Exit(2, `argosay: cannot create ${file}: ${reason}`));
  return 0;
}

const ESCAPES = new Map([['\\', 0x5c], ['a', 0x07], ['b', 0x08], ['f', 0x0c], ['n', 0x0a], ['r', 0x0d], ['t', 0x09], ['v', 0x0b]]);

/**
 * dash's `echo "$arg"`, the script's shell being dash: `-n` alone is an option (no output), backslash
 * escapes are interpreted (`\n`, `\t`, `\0NNN` and `\NNN` octal, ...), and `\c` ends the output.
 * @param {string} text
 */
function dashEcho(text) {
  if (text === '-n') return Buffer.alloc(0);
  /** @type {Buffer[]} */
  const parts = [];
  let plain = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '\\') continue;
    parts.push(Buffer.from(text.slice(plain, i)));
    const next = text[i + 1] ?? '';
    const escape = ESCAPES.get(next);
    if (next === 'c') return Buffer.concat(parts);
    if (escape !== undefined) {
      parts.push(Buffer.of(escape));
      i++;
    } else if (/[0-7]/.test(next)) {
      // `\0` is followed by up to three octal digits, `\N` is the first of up to three.
      const start = next === '0' && /[0-7]/.test(text[i + 2] ?? '') ? i + 2 : i + 1;
      const digits = /^[0-7]{1,3}/.exec(text.slice(start))?.[0] ?? '0';
      parts.push(Buffer.of(parseInt(digits, 8) & 0xff));
      i = start + digits.length - 1;
    } else {
      parts.push(Buffer.from('\\'));
    }
    plain = i + 1;
  }
  parts.push(Buffer.from(`${text.slice(plain)}\n`));
  return Buffer.concat(parts);
}

/**
 * `grep -F text file`: prints the lines that contain any of the text's lines; 0 when one does, 1 when none, 2 on an error.
 * @param {string} text @param {string} file
 */
function grepFixed(text, file) {
  const content = readFile('grep', file, 2).toString('utf8');
  const patterns = text.split('\n');
  const lines = content === '' ? [] : content.replace(/\n$/, '').split('\n');
  const found = lines.filter((line) => patterns.some((pattern) => line.includes(pattern)));
  write(found.map((line) => `${line}\n`).join(''));
  return found.length > 0 ? 0 : 1;
}

/** dash's `exit N`: a decimal number, taken modulo 256. @param {string} value */
function exitCode(value) {
  if (!/^\d+$/.test(value)) throw new Exit(2, `argosay: exit: Illegal number: ${value}`);
  return Number(BigInt(value) % 256n);
}

/** coreutils' `sleep`: a number of seconds, with an optional unit s, m, h or d. @param {string} interval */
async function sleep(interval) {
  const match = /^(\d+\.?\d*|\.\d+)([smhd]?)$/.exec(interval);
  if (!match) throw new Exit(1, `sleep: invalid time interval '${interval}'\nTry 'sleep --help' for more information.`);
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[/** @type {'' | 's' | 'm' | 'h' | 'd'} */ (match[2])];
  // setTimeout holds at most 2^31 - 1 ms.
  for (let left = Number(match[1]) * unit * 1000; left > 0; left -= 2 ** 31 - 1) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(left, 2 ** 31 - 1)));
  }
  return 0;
}

/** `sh file`, with a shell's exit code for a child killed by a signal. @param {string} file */
function shell(file) {
  const child = spawnSync('sh', [file], { stdio: 'inherit' });
  if (child.error) throw new Exit(127, `argosay: sh: ${child.error.message}`);
  return child.status ?? 128 + (child.signal ? constants.signals[child.signal] : 0);
}

/** The script's `"$N"` under `set -u`. @param {string[]} args @param {number} index */
function required(args, index) {
  const value = args[index];
  if (value === undefined) throw new Exit(2, `argosay: ${index + 2}: parameter not set`);
  return value;
}

/** @param {string} tool @param {string} file @param {number} [code] the tool's exit code for an unreadable file */
function readFile(tool, file, code = 1) {
  return attempt(() => readFileSync(file), (reason) => new Exit(code, `${tool}: ${file}: ${reason}`));
}

/**
 * Runs `action`; an I/O error becomes the Exit that `fail` makes of its reason, in strerror's words.
 * @template T @param {() => T} action @param {(reason: string) => Exit} fail
 */
function attempt(action, fail) {
  try {
    return action();
  } catch (error) {
    const { errno, message } = /** @type {NodeJS.ErrnoException} */ (error);
    const reason = (errno !== undefined && getSystemErrorMap().get(errno)?.[1]) || message;
    throw fail(reason.charAt(0).toUpperCase() + reason.slice(1));
  }
}

/** @param {string | Buffer} output */
function write(output) {
  process.stdout.write(output);
  return 0;
}

const [name = '', ...args] = process.argv.slice(1);
const command = COMMANDS.get(name);
try {
  process.exitCode = command ? await command(args) : 1;
} catch (error) {
  if (!(error instanceof Exit)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = error.code;
}
