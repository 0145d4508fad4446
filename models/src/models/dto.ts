/** ISO string for a nullable timestamp column. */
export function iso(value: Date | null | undefined): string | null {
  return value ? value.toISOString() : null;
}
