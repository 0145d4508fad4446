import type { z } from 'zod';
import { AppError } from './app-error.js';

/** Parses input at the edge; a failure is a 400 naming each bad field. */
export function parse<S extends z.ZodType>(schema: S, input: unknown, what = 'request'): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields = result.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
  const summary = fields.map((f) => `${f.path}: ${f.message}`).join('; ');
  throw new AppError('validation', `Invalid ${what}: ${summary}`, { details: { fields } });
}
