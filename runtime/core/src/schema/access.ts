import { Type, type Static } from '@sinclair/typebox';
import { LabelSchema } from './label.js';
import { LogicSchema } from './logic.js';

/**
 * The organisation and its permissions, as admins write them (HTTP bodies,
 * pack files). Roles grant; nothing is allowed unless some role of the user
 * (or the user's admin flag, or the app's designer grant) allows it.
 */

const Id = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' });

/** What a person may do with a form's records. `manage` is everything, on every record, plus editing the form. */
export const FORM_ACTIONS = ['submit', 'view', 'edit', 'delete', 'export', 'manage'] as const;
export type FormAction = (typeof FORM_ACTIONS)[number];

/**
 * Which records a grant reaches:
 * - `own`: records the user submitted;
 * - `department`: records submitted by anyone in the user's departments;
 * - `departmentTree`: the same, including every department below them;
 * - `all`: every record;
 * - `{condition}`: a json-logic test over the record's fields and `user.*`
 *   (`user.id`, `user.departments`, `user.partner`), e.g.
 *   `{"==": [{"var": "supplier"}, {"var": "user.partner"}]}`. It is compiled
 *   into the store query (see access/scope.ts for what it may contain).
 */
export const ScopeSchema = Type.Union([
  Type.Literal('own'),
  Type.Literal('department'),
  Type.Literal('departmentTree'),
  Type.Literal('all'),
  Type.Object({ condition: LogicSchema }, { additionalProperties: false }),
]);
export type Scope = Static<typeof ScopeSchema>;

export const FieldAccessSchema = Type.Union([Type.Literal('hidden'), Type.Literal('readOnly')]);
export type FieldAccess = Static<typeof FieldAccessSchema>;

/** One permission group on a form: actions, the records they reach, and fields hidden or read-only in it. */
export const FormGrantSchema = Type.Object(
  {
    actions: Type.Array(Type.Union(FORM_ACTIONS.map((a) => Type.Literal(a))), { uniqueItems: true, maxItems: FORM_ACTIONS.length }),
    /** default `all` */
    scope: Type.Optional(ScopeSchema),
    /** field key → hidden or read-only for this group (absent: visible and editable) */
    fields: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,63}$' }), FieldAccessSchema, { maxProperties: 500 })),
  },
  { additionalProperties: false },
);
export type FormGrant = Static<typeof FormGrantSchema>;

export const AppGrantSchema = Type.Object(
  {
    /** see the app and open it (implied by any grant on one of its forms) */
    open: Type.Optional(Type.Boolean()),
    /** change the app, its forms and their definitions */
    design: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type AppGrant = Static<typeof AppGrantSchema>;

export const RoleInputSchema = Type.Object(
  {
    name: LabelSchema,
    description: Type.Optional(LabelSchema),
    /** null or absent: a workspace role; an app id: a role of that app, which may only grant on that app and its forms */
    appId: Type.Optional(Type.Union([Id, Type.Null()])),
    apps: Type.Optional(Type.Record(Id, AppGrantSchema, { maxProperties: 1000 })),
    /** form id → one permission group, or several (they add up) */
    forms: Type.Optional(Type.Record(Id, Type.Union([FormGrantSchema, Type.Array(FormGrantSchema, { maxItems: 20 })]), { maxProperties: 5000 })),
  },
  { additionalProperties: false },
);
export type RoleInput = Static<typeof RoleInputSchema>;

export const DepartmentInputSchema = Type.Object(
  {
    name: LabelSchema,
    /** null: a top-level department */
    parentId: Type.Optional(Type.Union([Id, Type.Null()])),
    /** the user who leads it (approvals go to the department leader) */
    leaderId: Type.Optional(Type.Union([Id, Type.Null()])),
    order: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
  },
  { additionalProperties: false },
);
export type DepartmentInput = Static<typeof DepartmentInputSchema>;

/** An external user's partner: the record (e.g. a supplier) whose data they act for. */
export const PartnerSchema = Type.Object({ formId: Id, recordId: Id }, { additionalProperties: false });
export type Partner = Static<typeof PartnerSchema>;

export const EMAIL_PATTERN = '^[^\\s@]{1,64}@[^\\s@]{1,190}$';
export const PasswordSchema = Type.String({ minLength: 8, maxLength: 200 });

export const UserInputSchema = Type.Object(
  {
    /** the sign-in name; stored lower-case */
    email: Type.String({ pattern: EMAIL_PATTERN, maxLength: 254 }),
    name: Type.String({ minLength: 1, maxLength: 100 }),
    /** absent: the user cannot sign in until an admin sets one */
    password: Type.Optional(PasswordSchema),
    /** workspace administrator: every permission */
    admin: Type.Optional(Type.Boolean()),
    departments: Type.Optional(Type.Array(Id, { maxItems: 50, uniqueItems: true })),
    roles: Type.Optional(Type.Array(Id, { maxItems: 100, uniqueItems: true })),
    /** set for external users (suppliers, customers): they only ever see what this partner may see */
    partner: Type.Optional(Type.Union([PartnerSchema, Type.Null()])),
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('disabled')])),
  },
  { additionalProperties: false },
);
export type UserInput = Static<typeof UserInputSchema>;
