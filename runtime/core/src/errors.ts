/** Error codes shared by the engine, the server and the front ends. The server maps each to an HTTP status (server/src/http/errors.ts). */
export const ERROR_CODES = [
  'BAD_REQUEST', // malformed input that is not a per-field validation problem
  'VALIDATION_FAILED', // record data failed validation: details.fields lists FieldError
  'INVALID_DEFINITION', // a form/app definition is wrong: details.problems lists DefinitionProblem
  'INVALID_QUERY', // unknown field or operator, bad value or cursor in a filter/sort/aggregate
  'NOT_FOUND',
  'VERSION_CONFLICT', // stale version on update
  'UNIQUE_VIOLATION', // details.field names the field
  'CONFLICT',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class TrellisError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'TrellisError';
  }
}

export function isTrellisError(e: unknown): e is TrellisError {
  return e instanceof TrellisError;
}

/** A validation message in both UI languages. */
export interface Message {
  en: string;
  zh: string;
}

/** One per-field validation error; `field` is a key, or `lines[2].qty` inside a sub-table. */
export interface FieldError {
  field: string;
  code: string;
  message: Message;
}

/** One problem in a form definition; `path` points into the definition, e.g. `fields[3].options`, `rules[0].visible`. */
export interface DefinitionProblem {
  path: string;
  code: string;
  message: string;
}
