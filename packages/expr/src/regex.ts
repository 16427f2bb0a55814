// Patterns of `=~` and `!~`: Go RE2 syntax in Argo, a JS RegExp here. RE2 refuses backreferences and
// lookaround, which are also what can make a backtracking engine slow, so they are refused here too;
// a leading `(?flags)` and `(?P<name>…)` are translated to their JS forms.
import { Failure } from './errors.js';

export const MAX_PATTERN_LENGTH = 1_000;

/** A compiled pattern keeps the text it was written as: Go prints a *regexp.Regexp as that text. */
export class CompiledPattern {
  constructor(
    readonly source: string,
    readonly regex: RegExp,
  ) {}
}

const LEADING_FLAGS = /^\(\?([imsU]+)\)/;
const LOOKAROUND = ['(?=', '(?!', '(?<=', '(?<!'];

function refuse(reason: string): never {
  throw new Failure(`error parsing regexp: ${reason}`);
}

/** Rewrites Go syntax to JS syntax, refusing what RE2 refuses and JS would run. */
function translate(body: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < body.length; i++) {
    const char = body[i]!;
    if (char === '\\') {
      const escaped = body[i + 1] ?? '';
      if (/[1-9k]/.test(escaped)) refuse(`invalid escape sequence: \`\\${escaped}\``);
      out += char + escaped;
      i++;
      continue;
    }
    if (inClass) {
      inClass = char !== ']';
    } else if (char === '[') {
      inClass = true;
    } else if (body.startsWith('(?P<', i)) {
      out += '(?<';
      i += 3;
      continue;
    } else {
      const lookaround = LOOKAROUND.find((prefix) => body.startsWith(prefix, i));
      if (lookaround) refuse(`invalid or unsupported Perl syntax: \`${lookaround}\``);
    }
    out += char;
  }
  return out;
}

export function compilePattern(source: string): CompiledPattern {
  if (source.length > MAX_PATTERN_LENGTH) refuse(`pattern longer than ${MAX_PATTERN_LENGTH} characters`);
  const leading = LEADING_FLAGS.exec(source);
  const flags = leading?.[1] ?? '';
  if (flags.includes('U')) refuse('ungreedy mode (?U) is not supported');
  const body = translate(source.slice(leading?.[0].length ?? 0));
  try {
    return new CompiledPattern(source, new RegExp(body, [...new Set(flags)].join('')));
  } catch (error) {
    const message = (error as Error).message;
    refuse(`${message.slice(message.lastIndexOf(': ') + 2)}: \`${source}\``);
  }
}
