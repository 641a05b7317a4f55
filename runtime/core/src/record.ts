/** The data of a record: field key → value (see DESIGN.md for each type's value shape). */
export type RecordData = Record<string, unknown>;

/** Who and when a rule or formula is evaluated for. */
export interface EvalContext {
  user: { id: string; name?: string; departments?: string[]; roles?: string[] } | null;
  /** the current instant; rules see it as `$now` (ISO) and `$today` (YYYY-MM-DD) */
  now: Date;
  /** IANA zone used for `$today`, date buckets of relative filters and serial periods; UTC when unset */
  timeZone?: string;
}
