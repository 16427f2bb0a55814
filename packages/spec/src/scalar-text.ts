// Argo types parameter values, command, args and env values as strings, yet users write `value: 3`
// or `args: [--retries, 2]`; this gives the text Argo's own decoding (AnyString) makes of a scalar.

/** Argo's text for a YAML scalar, or undefined for a map, a list or a number JSON cannot carry. */
export function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number' && Number.isFinite(value)) return decimal(value);
  return undefined;
}

/** Go's strconv.FormatFloat(v, 'f', -1, 64): the shortest digits that round-trip, never an exponent. */
function decimal(value: number): string {
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(String(value));
  if (!match) return String(value);
  const [, sign = '', first = '', rest = '', exponent = '0'] = match;
  const digits = first + rest;
  const point = 1 + Number(exponent);
  // JavaScript writes an exponent only below 1e-6 or from 1e21 on, so the point is outside the digits.
  return point > 0 ? sign + digits + '0'.repeat(point - digits.length) : `${sign}0.${'0'.repeat(-point)}${digits}`;
}
