// Request bodies and query strings decoded with zod: a bad one is a 400 naming the field.
import { z } from 'zod';
import { isNamespace } from '@regatta/spec';
import { badRequest } from './http-error.js';

/** A namespace in a path: a DNS-1123 label, as Kubernetes requires. */
export const namespaceParam = z.string().refine(isNamespace, 'a namespace is a lower-case DNS-1123 label of at most 63 characters');

/** `schema`'s output for `value`, or a 400 whose message names `where` and the field path. */
export function decode<T extends z.ZodType>(schema: T, value: unknown, where: string): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => {
    const path = [where, ...issue.path.map(String)].join('.');
    return `${path}: ${issue.message}`;
  });
  throw badRequest(issues.join('; '));
}
