/**
 * Chosen to match the code as written, so the one-time reformat moves as little as it can: single
 * quotes, semicolons, trailing commas wherever allowed, `(x) =>`, and a width of 140 (most hand
 * wrapped lines end between 100 and 140; 120 would rewrap about 3,000 more lines).
 * @type {import('prettier').Config}
 */
export default {
  singleQuote: true,
  printWidth: 140,
  trailingComma: 'all',
  arrowParens: 'always',
};
