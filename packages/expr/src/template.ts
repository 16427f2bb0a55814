// Argo's `{{…}}` substitution (fasttemplate semantics): one pass over the text, each simple tag
// replaced by its value, unknown tags and expression tags (`{{=…}}`) left as they are. Values are
// never substituted again, so a parameter containing `{{…}}` stays literal.

/** A lookup returns the string value of a dotted key such as `inputs.parameters.msg`, or undefined. */
export type Lookup = (key: string) => string | undefined;

function replaceTags(text: string, replace: (key: string) => string | undefined): string {
  let start = text.indexOf('{{');
  if (start < 0) return text;
  let out = '';
  let from = 0;
  while (start >= 0) {
    const end = text.indexOf('}}', start + 2);
    if (end < 0) break;
    const inner = text.slice(start + 2, end);
    const key = inner.trim();
    const value = key.startsWith('=') ? undefined : replace(key);
    out += text.slice(from, start) + (value ?? `{{${inner}}}`);
    from = end + 2;
    start = text.indexOf('{{', from);
  }
  return out + text.slice(from);
}

export function substituteString(text: string, lookup: Lookup): string {
  return replaceTags(text, lookup);
}

/** Substitutes on the JSON form so quotes, backslashes and newlines in values stay valid. */
export function substituteJson<T>(value: T, lookup: Lookup): T {
  if (value === undefined) return value;
  const json = JSON.stringify(value);
  if (!json.includes('{{')) return value;
  const replaced = replaceTags(json, (key) => {
    const found = lookup(key);
    return found === undefined ? undefined : JSON.stringify(found).slice(1, -1);
  });
  return JSON.parse(replaced) as T;
}
