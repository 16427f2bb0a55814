// A resource from a request body, checked by the same loader that checks it in a file (the body's
// JSON is YAML to it), so the server refuses exactly what the CLI refuses; issues name `where`.
import { badRequest } from './http-error.js';

export function loadedResource<T>(load: (text: string, file: string) => T[], value: Record<string, unknown>, where: string): T {
  const [resource] = load(JSON.stringify(value), where);
  if (!resource) throw badRequest(`${where}: expected a resource`);
  return resource;
}
