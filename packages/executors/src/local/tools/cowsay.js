// Regatta's own stand-in for `cowsay` (Debian's cowsay 3.03, in Argo's test images argoproj/argosay:v1
// and v2), for hosts without one: the default cow saying the arguments (or stdin), wrapped as the Perl
// original wraps them with Text::Wrap's fill at 40 columns. Options are not supported. Widths count
// characters, not terminal columns.
import { readFileSync } from 'node:fs';

const COLUMNS = 40;
/** Text::Wrap's `$break`: one whitespace character, consumed. */
const BREAK = String.raw`(?=\s)(?:\r\n|\P{M}\p{M}*)`;
const COW = String.raw`        \   ^__^
         \  (oo)\_______
            (__)\       )\/\
                ||----w |
                ||     ||
`;

/** Text::Wrap's `fill('', '', text)`: paragraphs split at a newline followed by blanks, blanks collapsed, each wrapped. @param {string} text */
function fill(text) {
  return perlSplit(text, /\n\s+/)
    .map((paragraph) => wrap(paragraph.replace(/\s+/g, ' ')))
    .join('\n\n');
}

/**
 * Text::Wrap's `wrap` of a text without tabs or newlines, with its regular expressions: lines of at most
 * COLUMNS - 1 characters broken at whitespace, and a longer word cut.
 * @param {string} text
 */
function wrap(text) {
  const width = COLUMNS - 1;
  const atEnd = new RegExp(`(?:${BREAK})*$`, 'uy');
  const line = new RegExp(`((?:(?!\\n)\\P{M}\\p{M}*){0,${width}})(${BREAK}|\\n+|$)`, 'uy');
  const cut = new RegExp(`(?:(?!\\n)\\P{M}\\p{M}*){${width}}`, 'uy');
  let wrapped = '';
  let remainder = '';
  let position = 0;
  for (let separator = ''; !matchesAt(atEnd, text, position); separator = '\n') {
    const match = matchAt(line, text, position);
    const piece = match ?? matchAt(cut, text, position);
    if (!piece) throw new Error(`cannot wrap '${text}'`);
    wrapped += separator + (match ? match[1] : piece[0]);
    remainder = match ? (match[2] ?? '') : '\n';
    position += piece[0].length;
  }
  return wrapped + remainder;
}

/** @param {RegExp} pattern sticky @param {string} text @param {number} position */
function matchAt(pattern, text, position) {
  pattern.lastIndex = position;
  return pattern.exec(text);
}

/** @param {RegExp} pattern sticky @param {string} text @param {number} position */
function matchesAt(pattern, text, position) {
  return matchAt(pattern, text, position) !== null;
}

/** Perl's `split`: trailing empty fields are dropped. @param {string} text @param {RegExp | string} separator */
function perlSplit(text, separator) {
  const fields = text.split(separator);
  while (fields.length > 0 && fields.at(-1) === '') fields.pop();
  return fields;
}

/** The balloon: `< >` around one line; `/ \`, `| |` and `\ /` around several. @param {string[]} lines */
function balloon(lines) {
  const width = Math.max(0, ...lines.map(displayWidth));
  const row = (/** @type {string} */ left, /** @type {string} */ text, /** @type {string} */ right) =>
    `${left} ${text}${' '.repeat(width - displayWidth(text))} ${right}\n`;
  const rows =
    lines.length < 2
      ? [row('<', lines[0] ?? '', '>')]
      : lines.map((text, index) => (index === 0 ? row('/', text, '\\') : index === lines.length - 1 ? row('\\', text, '/') : row('|', text, '|')));
  return ` ${'_'.repeat(width + 2)}\n${rows.join('')} ${'-'.repeat(width + 2)}\n`;
}

/** Characters, not counting colour escapes (cowsay's maxlength drops them). @param {string} text */
function displayWidth(text) {
  return [...text.replace(/\x1b\[\d+(?:;\d+)*m/g, '')].length;
}

/** `chomp(@lines = <STDIN>)`. */
function stdinLines() {
  const lines = readFileSync(0, 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

let args = process.argv.slice(1);
if (args[0] === '--') args = args.slice(1);
if (/^-./.test(args[0] ?? '')) {
  process.stderr.write(`cowsay: option ${args[0]} is not supported by Regatta's local cowsay\n`);
  process.exitCode = 2;
} else {
  // Perl's truth: a first argument that is empty or "0" is no message, and stdin's lines are read.
  const message = args[0] && args[0] !== '0' ? [args.join(' ')] : stdinLines();
  process.stdout.write(balloon(perlSplit(fill(message.join('\n')), '\n')) + COW);
}
