// Go's unicode.IsSpace, IsLetter and IsDigit and strings.TrimSpace: Argo's parsers are Go, so what
// counts as a space, a letter or a digit must be what Go counts.

const SPACE = /^\p{White_Space}$/u;
const LETTER = /^\p{L}$/u;
const DIGIT = /^\p{Nd}$/u;

/** One character (a code point); ASCII is decided without a regular expression. */
export function isSpace(char: string): boolean {
  const code = char.charCodeAt(0);
  return code < 0x80 ? code === 0x20 || (code >= 0x09 && code <= 0x0d) : SPACE.test(char);
}

export function isLetter(char: string): boolean {
  const code = char.charCodeAt(0);
  if (code < 0x80) return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
  return LETTER.test(char);
}

export function isDigit(char: string): boolean {
  const code = char.charCodeAt(0);
  return code < 0x80 ? code >= 0x30 && code <= 0x39 : DIGIT.test(char);
}

/** strings.TrimSpace. Every Unicode space is in the Basic Multilingual Plane, so code units suffice. */
export function trimSpace(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isSpace(text[start]!)) start++;
  while (end > start && isSpace(text[end - 1]!)) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}
