// Request bodies and query strings decoded with zod: a bad one is a 400 naming the field.
import type { z } from 'zod';
import { badRequest } from './http-error.js';

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
