// Argo's successCondition / failureCondition: Kubernetes label-selector syntax whose keys are paths
// into the object (gjson's: `status.succeeded`, `status.conditions.0.type`, `items.#` for a length) and
// whose values are compared with the field's text, as Argo's workflow/executor/resource.go does.
// Requirements are comma-separated and all must hold: `key`, `!key`, `key = v`, `key == v`, `key != v`,
// `key in (a, b)`, `key notin (a, b)`, `key > 2`, `key < 2` (integers only).

export type Operator = 'exists' | '!' | '=' | '!=' | 'in' | 'notin' | '>' | '<';

export interface Requirement {
  key: string;
  operator: Operator;
  values: string[];
}

/** The requirements of a condition; a condition that does not parse throws, naming where. */
export function parseConditions(text: string): Requirement[] {
  const tokens = tokenize(text);
  const requirements: Requirement[] = [];
  let at = 0;
  const fail = (what: string): never => {
    throw new Error(`condition "${text}": ${what}`);
  };
  const next = (): string | undefined => tokens[at++];
  const identifier = (what: string): string => {
    const token = next();
    if (token === undefined || SPECIAL.has(token)) return fail(`expected ${what}, found ${token === undefined ? 'the end' : `"${token}"`}`);
    return token;
  };
  while (at < tokens.length) {
    let requirement: Requirement;
    if (tokens[at] === '!') {
      at++;
      requirement = { key: identifier('a key after "!"'), operator: '!', values: [] };
    } else {
      const key = identifier('a key');
      const token = tokens[at];
      if (token === undefined || token === ',') requirement = { key, operator: 'exists', values: [] };
      else if (token === '=' || token === '==' || token === '!=') {
        at++;
        // `key=` compares with the empty text, as a label selector does.
        const value = tokens[at] === undefined || tokens[at] === ',' ? '' : identifier('a value');
        requirement = { key, operator: token === '!=' ? '!=' : '=', values: [value] };
      } else if (token === '>' || token === '<') {
        at++;
        const value = identifier('a value');
        if (!/^[+-]?\d+$/.test(value)) fail(`"${key} ${token} ${value}": the value must be an integer`);
        requirement = { key, operator: token, values: [value] };
      } else if (token === 'in' || token === 'notin') {
        at++;
        if (next() !== '(') fail(`expected "(" after "${token}"`);
        const values: string[] = [];
        while (tokens[at] !== ')') {
          values.push(identifier('a value'));
          if (tokens[at] === ',') at++;
          else if (tokens[at] !== ')') fail(`expected "," or ")" in the values of "${key}"`);
        }
        at++;
        requirement = { key, operator: token, values };
      } else return fail(`unexpected "${token}" after "${key}"`);
    }
    requirements.push(requirement);
    if (at < tokens.length && next() !== ',') fail(`expected "," after "${describe(requirement)}"`);
  }
  return requirements;
}

/** Whether the object's field meets the requirement, by Kubernetes' Requirement.Matches over the field's text. */
export function matches(object: unknown, requirement: Requirement): boolean {
  const field = fieldAt(object, requirement.key);
  const has = field !== undefined;
  const text = has ? fieldText(field) : '';
  switch (requirement.operator) {
    case 'exists':
      return has;
    case '!':
      return !has;
    case '=':
    case 'in':
      return has && requirement.values.includes(text);
    case '!=':
    case 'notin':
      return !has || !requirement.values.includes(text);
    case '>':
    case '<': {
      if (!has || !/^[+-]?\d+$/.test(text)) return false;
      const [value, limit] = [BigInt(text), BigInt(requirement.values[0]!)];
      return requirement.operator === '>' ? value > limit : value < limit;
    }
  }
}

export function describe({ key, operator, values }: Requirement): string {
  if (operator === 'exists') return key;
  if (operator === '!') return `!${key}`;
  if (operator === 'in' || operator === 'notin') return `${key} ${operator} (${values.join(',')})`;
  return `${key}${operator}${values[0]}`;
}

/** gjson's path: dot-separated, `\.` a literal dot, a number an array index, `#` an array's length. */
export function fieldAt(object: unknown, path: string): unknown {
  let current = object;
  for (const segment of path.split(/(?<!\\)\./).map((part) => part.replace(/\\\./g, '.'))) {
    if (Array.isArray(current)) current = segment === '#' ? current.length : /^\d+$/.test(segment) ? current[Number(segment)] : undefined;
    else if (current !== null && typeof current === 'object') current = Object.hasOwn(current, segment) ? (current as Record<string, unknown>)[segment] : undefined;
    else return undefined;
    if (current === undefined) return undefined;
  }
  return current;
}

/** gjson's String(): text as it is, null as empty, the rest as JSON. */
function fieldText(field: unknown): string {
  if (typeof field === 'string') return field;
  if (field === null) return '';
  return JSON.stringify(field);
}

const SPECIAL = new Set(['!', '=', '==', '!=', '>', '<', ',', '(', ')']);

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const pattern = /\s*(==|!=|[!=<>,()]|[^\s!=<>,()]+)/gy;
  let match: RegExpExecArray | null;
  // Every character but trailing space starts a token, so the sticky scan reads the whole text.
  while ((match = pattern.exec(text)) !== null) tokens.push(match[1]!);
  return tokens;
}
