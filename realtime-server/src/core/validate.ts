import type { z } from 'zod';
import { AppError } from './app-error.js';

const MAX_DEPTH = 32;
/** A lone surrogate is not text at all; NUL (checked beside it) cannot be stored in PostgreSQL text. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const unstorable = (s: string): boolean => s.includes('\u0000') || LONE_SURROGATE.test(s);
export const storable = (s: string): boolean => !unstorable(s);

/** The first thing in `input` no schema should ever see: nesting beyond reason, or unstorable text. */
function hazardIn(input: unknown): string | null {
  const stack: Array<[unknown, number]> = [[input, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value === 'string') {
      if (unstorable(value)) return 'text contains characters that cannot be stored (NUL or a lone surrogate)';
    } else if (value && typeof value === 'object') {
      if (depth >= MAX_DEPTH) return `nested more than ${MAX_DEPTH} levels deep`;
      for (const [key, inner] of Object.entries(value)) {
        if (unstorable(key)) return 'a key contains characters that cannot be stored';
        stack.push([inner, depth + 1]);
      }
    }
  }
  return null;
}

/** Parses input at the edge; a failure is a 400 naming each bad field. */
export function parse<S extends z.ZodType>(schema: S, input: unknown, what = 'request'): z.infer<S> {
  const hazard = hazardIn(input);
  if (hazard)
    throw new AppError('validation', `Invalid ${what}: ${hazard}`, { details: { fields: [{ path: '(root)', message: hazard }] } });
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields = result.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
  const summary = fields.map((f) => `${f.path}: ${f.message}`).join('; ');
  throw new AppError('validation', `Invalid ${what}: ${summary}`, { details: { fields } });
}
