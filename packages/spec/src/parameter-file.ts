// Argo's `--parameter-file`: a YAML or JSON map of parameter names to values, read as `-p` would take
// them: strings as they are, other scalars as Argo's text for them, maps and lists as compact JSON.
import { SpecError } from './errors.js';
import { isRecord } from './issues.js';
import { parseYaml } from './parse.js';
import { scalarText } from './scalar-text.js';

export function parseParameterFile(text: string, file: string): Record<string, string> {
  const parsed = parseYaml(text, file);
  if (Array.isArray(parsed)) throw new SpecError(parsed);
  if (!isRecord(parsed.value)) {
    throw new SpecError([parsed.source.issue('SCHEMA', [], 'a parameter file must be a map of names to values')]);
  }
  const parameters: Record<string, string> = {};
  for (const [name, value] of Object.entries(parsed.value)) parameters[name] = scalarText(value) ?? JSON.stringify(value);
  return parameters;
}
