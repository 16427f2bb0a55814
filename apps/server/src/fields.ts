// Argo's `fields` query parameter: a comma-separated list of dotted paths of the answer to keep
// (`items.metadata.name,items.status.phase`), or, when the first starts with `-`, to drop
// (`-items.status.nodes`). Arrays are stepped through: `items.x` applies to every item.

export interface FieldProjection {
  include: boolean;
  paths: string[][];
}

export function parseFields(text: string): FieldProjection {
  const parts = text.split(',').map((part) => part.trim()).filter((part) => part !== '');
  const include = !parts[0]?.startsWith('-');
  return { include, paths: parts.map((part) => part.replace(/^-/, '').split('.')) };
}

const startsWith = (path: readonly string[], prefix: readonly string[]) => prefix.every((part, i) => path[i] === part);

/** Whether the answer shows what lies at `path` (so it must be read). */
export function shows(projection: FieldProjection | undefined, path: string): boolean {
  if (!projection) return true;
  const target = path.split('.');
  if (projection.include) return projection.paths.some((kept) => startsWith(target, kept) || startsWith(kept, target));
  return !projection.paths.some((dropped) => startsWith(target, dropped));
}

function pick(value: unknown, paths: string[][]): unknown {
  if (Array.isArray(value)) return value.map((item) => pick(item, paths));
  if (value === null || typeof value !== 'object') return value;
  const kept: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const below = paths.filter((path) => path[0] === key);
    if (below.length === 0) continue;
    kept[key] = below.some((path) => path.length === 1) ? child : pick(child, below.map((path) => path.slice(1)));
  }
  return kept;
}

function drop(value: unknown, paths: string[][]): unknown {
  if (Array.isArray(value)) return value.map((item) => drop(item, paths));
  if (value === null || typeof value !== 'object') return value;
  const kept: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const below = paths.filter((path) => path[0] === key);
    if (below.some((path) => path.length === 1)) continue;
    kept[key] = below.length === 0 ? child : drop(child, below.map((path) => path.slice(1)));
  }
  return kept;
}

export function project<T>(value: T, projection: FieldProjection | undefined): T {
  if (!projection) return value;
  return (projection.include ? pick(value, projection.paths) : drop(value, projection.paths)) as T;
}
