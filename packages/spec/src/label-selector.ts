// Kubernetes label selectors as `kubectl -l`, Argo's `list -l` and its API's `listOptions.labelSelector`
// take them: `a=b,c!=d,e in (x,y),f notin (z),g,!h`, every requirement holding. Parsed once into
// requirements, so a store can translate them (an archive's SQL) or match them in memory.
import { SpecError } from './errors.js';

export type LabelRequirement =
  | { key: string; operator: 'In' | 'NotIn'; values: string[] }
  | { key: string; operator: 'Exists' | 'DoesNotExist' };

const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const PREFIX = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
// One requirement: `!key`, `key`, `key op value` or `key in|notin (values)`.
const REQUIREMENT = /^\s*(?:(!)\s*([^\s=!(),]+)|([^\s=!(),]+)\s*(?:(==|=|!=)\s*([^\s=!(),]*)|\s(in|notin)\s*\(([^()]*)\))?)\s*$/;

function keyProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  const name = slash === -1 ? key : key.slice(slash + 1);
  if (prefix !== undefined && !PREFIX.test(prefix)) return `label key "${key}" has an invalid prefix: a DNS subdomain is expected before "/"`;
  if (!NAME.test(name)) return `label key "${key}" is invalid: at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit`;
  return undefined;
}

function valueProblem(value: string): string | undefined {
  return value === '' || NAME.test(value) ? undefined : `label value "${value}" is invalid: at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit`;
}

/** Splits at the commas between requirements, not those inside a set's parentheses. */
function splitRequirements(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
    else if (text[i] === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function parseRequirement(part: string): LabelRequirement | string {
  const match = REQUIREMENT.exec(part);
  if (!match) return `"${part.trim()}" is not a label requirement (key, !key, key=value, key!=value, key in (a,b), key notin (a,b))`;
  const [, not, absentKey, key = absentKey!, op, value, setOp, set] = match;
  const problem = keyProblem(key);
  if (problem) return problem;
  if (not) return { key, operator: 'DoesNotExist' };
  if (op !== undefined) return valueProblem(value!) ?? { key, operator: op === '!=' ? 'NotIn' : 'In', values: [value!] };
  if (setOp === undefined) return { key, operator: 'Exists' };
  const values = set!.split(',').map((entry) => entry.trim());
  if (values.length === 1 && values[0] === '') return `"${key} ${setOp} ()" names no values`;
  const bad = values.map(valueProblem).find((found) => found !== undefined);
  return bad ?? { key, operator: setOp === 'in' ? 'In' : 'NotIn', values };
}

/** The selector's requirements (none for an empty text, which selects everything); bad text throws a SpecError naming `where`. */
export function parseLabelSelector(text: string, where = 'labelSelector'): LabelRequirement[] {
  if (text.trim() === '') return [];
  return splitRequirements(text).map((part) => {
    const parsed = parseRequirement(part);
    if (typeof parsed === 'string') throw new SpecError([{ code: 'SCHEMA', file: where, path: '', message: parsed }]);
    return parsed;
  });
}

/** Whether labels meet every requirement; as in Kubernetes, NotIn (and `!=`) hold for a missing key. */
export function matchesLabelSelector(requirements: readonly LabelRequirement[], labels: Record<string, string> | undefined): boolean {
  return requirements.every((requirement) => {
    const value = labels?.[requirement.key];
    switch (requirement.operator) {
      case 'Exists':
        return value !== undefined;
      case 'DoesNotExist':
        return value === undefined;
      case 'In':
        return value !== undefined && requirement.values.includes(value);
      case 'NotIn':
        return value === undefined || !requirement.values.includes(value);
    }
  });
}
