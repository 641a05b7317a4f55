import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FieldError } from '../errors.js';
import { fieldMessage, type FieldMessageCode } from './field-messages.js';

/**
 * The ajv options every validator of record data uses — the server, the
 * designer preview and the phone app (rjsf's validator-ajv8 with these
 * options) — so they agree on what is valid.
 */
export const AJV_OPTIONS = { allErrors: true, strict: false, coerceTypes: false, useDefaults: false } as const;

let shared: Ajv | undefined;

/** The one shared ajv instance (with ajv-formats). */
export function getAjv(): Ajv {
  if (!shared) {
    shared = new Ajv(AJV_OPTIONS);
    addFormats.default(shared);
  }
  return shared;
}

/**
 * Compiles a schema on the shared instance without keeping it in ajv's cache:
 * ajv 8 caches by schema object identity, so compiling fresh objects would
 * grow the cache forever. The returned function stays usable on its own.
 */
export function compileSchema(schema: object): ValidateFunction {
  const ajv = getAjv();
  const validate = ajv.compile(schema);
  ajv.removeSchema(schema);
  return validate;
}

const KEYWORD_CODES: Record<string, FieldMessageCode> = {
  required: 'required',
  type: 'type',
  minimum: 'minimum',
  exclusiveMinimum: 'minimum',
  maximum: 'maximum',
  exclusiveMaximum: 'maximum',
  minLength: 'minLength',
  maxLength: 'maxLength',
  pattern: 'pattern',
  format: 'format',
  enum: 'enum',
  const: 'enum',
  minItems: 'minItems',
  maxItems: 'maxItems',
  uniqueItems: 'uniqueItems',
  additionalProperties: 'unknown',
};

/** `/lines/2/qty` → `lines[2].qty`. */
export function pointerToPath(pointer: string, extra?: string): string {
  const segs = pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra !== undefined) segs.push(extra);
  let out = '';
  for (const s of segs) out += /^\d+$/.test(s) ? `[${s}]` : out === '' ? s : `.${s}`;
  return out;
}

/** Maps ajv errors to one FieldError per field path (the first error wins), with en and zh messages. */
export function toFieldErrors(errors: readonly ErrorObject[] | null | undefined): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const e of errors ?? []) {
    const params = e.params as Record<string, unknown>;
    let extra: string | undefined;
    if (e.keyword === 'required') extra = String(params.missingProperty);
    else if (e.keyword === 'additionalProperties') extra = String(params.additionalProperty);
    const field = pointerToPath(e.instancePath, extra);
    if (seen.has(field)) continue;
    seen.add(field);
    const code = KEYWORD_CODES[e.keyword] ?? 'invalid';
    out.push({ field, code, message: fieldMessage(code, params) });
  }
  return out;
}
