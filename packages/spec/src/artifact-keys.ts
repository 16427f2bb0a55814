// A bare artifact key (`key: <path>`, a data template's listing) is read within the workflow's own
// namespace of the repository: the path is cleaned of empty and `.` parts and may not climb out with `..`.
// Shared by the engine, which binds inputs, and the worker's data template, which lists keys.

/** The key's path as kept under `<namespace>/` ('' for the namespace's root), or why it is refused. */
export function keyWithinNamespace(key: string): string | { error: string } {
  const segments = key.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) return { error: `key "${key}" must be a path inside the namespace's artifacts, without ".."` };
  return segments.join('/');
}
