import { Type, type TSchema } from '@sinclair/typebox';
import { AppInputSchema, FormDefinitionSchema, LabelSchema, PartnerSchema, RoleInputSchema } from '@trellis/core';

/** Shapes of requests and replies shared by routes; they also make the OpenAPI document. */

// Record data is checked field by field by the record engine; here it only has to be an
// object (a plain object schema: Type.Record would run a regular expression on every key).
const RecordData = Type.Unsafe<Record<string, unknown>>({ type: 'object', additionalProperties: true, description: 'field key → value' });

export const ErrorSchema = Type.Object(
  { error: Type.Object({ code: Type.String(), message: Type.String(), details: Type.Optional(Type.Unknown()) }) },
  { $id: 'Error', description: 'Every error reply' },
);

/** Error replies of a route; every route that needs sign-in may also answer 401 and 403. */
export const errorReplies = (...statuses: number[]): Record<number, TSchema> =>
  Object.fromEntries([...new Set([...statuses, 401, 403])].map((s) => [s, Type.Ref('Error')]));

const Id = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' });
export const AppParams = Type.Object({ appId: Id });
export const FormParams = Type.Object({ formId: Id });
export const RecordParams = Type.Object({ formId: Id, recordId: Id });
export const RecordIdParams = Type.Object({ recordId: Id });

export const AppSchema = Type.Object(
  {
    id: Type.String(), workspaceId: Type.String(), version: Type.Integer(),
    name: LabelSchema, description: Type.Optional(LabelSchema), icon: Type.Optional(Type.String()), color: Type.Optional(Type.String()),
    createdAt: Type.String(), updatedAt: Type.String(), createdBy: Type.Union([Type.String(), Type.Null()]),
  },
  { $id: 'App' },
);

export const FormSchema = Type.Object(
  {
    id: Type.String(), appId: Type.String(), version: Type.Integer(), publishedVersion: Type.Integer(),
    /** null for those who may use the form but not change it */
    draft: Type.Union([Type.Unsafe<unknown>({ type: 'object', additionalProperties: true }), Type.Null()]),
    /** what the caller may do with the form's records, and which fields are hidden or read-only to them */
    permissions: Type.Optional(Type.Object({
      design: Type.Boolean(),
      actions: Type.Array(Type.String()),
      hidden: Type.Array(Type.String()),
      readOnly: Type.Array(Type.String()),
    })),
    createdAt: Type.String(), updatedAt: Type.String(),
    published: Type.Optional(Type.Union([
      Type.Object({
        version: Type.Integer(), publishedAt: Type.String(),
        definition: Type.Unsafe<unknown>({ type: 'object', additionalProperties: true }),
        jsonSchema: Type.Unsafe<unknown>({ type: 'object', additionalProperties: true }),
        uiSchema: Type.Unsafe<unknown>({ type: 'object', additionalProperties: true }),
      }),
      Type.Null(),
    ])),
  },
  { $id: 'Form' },
);

export const RecordSchema = Type.Object(
  {
    id: Type.String(), formId: Type.String(), formVersion: Type.Integer(), version: Type.Integer(),
    data: RecordData,
    createdBy: Type.Union([Type.String(), Type.Null()]), createdAt: Type.String(), updatedAt: Type.String(), status: Type.String(),
  },
  { $id: 'Record' },
);

export const HistoryEntrySchema = Type.Object(
  {
    id: Type.String(), recordId: Type.String(), formId: Type.String(),
    action: Type.Union([Type.Literal('create'), Type.Literal('update'), Type.Literal('delete')]),
    by: Type.Union([Type.String(), Type.Null()]), at: Type.String(), version: Type.Integer(),
    changes: Type.Array(Type.Object({ field: Type.String(), from: Type.Unknown(), to: Type.Unknown() })),
  },
  { $id: 'HistoryEntry' },
);

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const UserSchema = Type.Object(
  {
    id: Type.String(), email: Type.String(), name: Type.String(),
    status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]), admin: Type.Boolean(),
    departments: Type.Array(Type.String()), roles: Type.Array(Type.String()), partner: Nullable(PartnerSchema),
    hasPassword: Type.Boolean(), version: Type.Integer(), createdAt: Type.String(), updatedAt: Type.String(),
  },
  { $id: 'User', description: 'A member of the workspace; never carries the password hash' },
);

export const DepartmentSchema = Type.Object(
  {
    id: Type.String(), name: LabelSchema, parentId: Nullable(Type.String()), leaderId: Nullable(Type.String()),
    order: Type.Integer(), version: Type.Integer(), createdAt: Type.String(), updatedAt: Type.String(),
  },
  { $id: 'Department' },
);

export const RoleSchema: TSchema = Type.Object(
  {
    ...RoleInputSchema.properties,
    id: Type.String(), appId: Nullable(Type.String()), version: Type.Integer(), createdAt: Type.String(), updatedAt: Type.String(),
  },
  { $id: 'Role' },
);

export const AuditEntrySchema = Type.Object(
  {
    id: Type.String(), at: Type.String(), event: Type.String(), actorId: Nullable(Type.String()), subject: Nullable(Type.String()),
    address: Nullable(Type.String()), details: Type.Record(Type.String(), Type.Unknown()),
  },
  { $id: 'AuditEntry' },
);

export const ShareLinkSchema = Type.Object(
  {
    id: Type.String(), kind: Type.Union([Type.Literal('submit'), Type.Literal('record')]), formId: Type.String(), recordId: Nullable(Type.String()),
    expiresAt: Nullable(Type.String()), password: Type.Boolean(), createdBy: Type.String(), createdAt: Type.String(),
  },
  { $id: 'ShareLink' },
);

export const NewShareLinkSchema = Type.Object(
  { ...ShareLinkSchema.properties, token: Type.String(), url: Type.String({ description: 'path of the public page; the API is /api/share/<token>' }) },
  { $id: 'NewShareLink', description: 'A new link; its token is shown this once' },
);

export const RecordInputSchema = Type.Object({ data: RecordData }, { additionalProperties: false });
export const RecordPatchSchema = Type.Object(
  { data: RecordData, version: Type.Integer({ minimum: 1 }) },
  { additionalProperties: false },
);

export { AppInputSchema, FormDefinitionSchema };

export const SHARED_SCHEMAS: TSchema[] = [
  ErrorSchema, AppSchema, FormSchema, RecordSchema, HistoryEntrySchema, UserSchema, DepartmentSchema, RoleSchema, AuditEntrySchema, ShareLinkSchema,
  NewShareLinkSchema,
];

/**
 * Record replies carry free-form `data`, which fast-json-stringify writes key by key
 * (measured 18% fewer submits/s). Services return exactly the documented shape, so
 * these routes serialize with JSON.stringify; the schemas still document the reply.
 */
export const RECORD_REPLY = { serializerCompiler: () => (data: unknown) => JSON.stringify(data) };
