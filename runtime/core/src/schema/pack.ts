import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { AppGrantSchema, FormGrantSchema } from './access.js';
import { DashboardDefinitionSchema, type DashboardDefinition } from './dashboard.js';
import { FormDefinitionSchema } from './form.js';
import { LabelSchema } from './label.js';
import { WorkflowDefinitionSchema } from './workflow.js';

/**
 * A template pack: a manifest plus forms, workflows (with their automations),
 * dashboards, roles, print templates and sample records. Inside a pack, forms,
 * roles, dashboards and sample records are named by pack-local keys: a link
 * field's `form`, a fill's `form`, a workflow action's `form`, a widget's
 * `form` and a role grant name a form key; an assignee `{type: "role"}` names a
 * role key; a link value in a sample record names a record key of the linked
 * form. Installing maps every key to a fresh id (pack/rekey.ts); exporting maps
 * ids back to keys. Checked by pack/check-pack.ts.
 */

/** A pack-local key: it also has to fit where ids go (workflow action targets, role assignees). */
export const PACK_KEY_PATTERN = '^[A-Za-z][A-Za-z0-9_-]{0,63}$';
const PackKey = Type.String({ pattern: PACK_KEY_PATTERN });

const BiText = (maxLength: number) =>
  Type.Object({ en: Type.String({ minLength: 1, maxLength }), zh: Type.String({ minLength: 1, maxLength }) }, { additionalProperties: false });

/** a semantic version, e.g. 1.2.0 or 2.0.0-beta.1 */
const VERSION_PATTERN = '^(0|[1-9][0-9]{0,5})\\.(0|[1-9][0-9]{0,5})\\.(0|[1-9][0-9]{0,5})(-[0-9A-Za-z.-]{1,40})?$';

/** the well-known categories; any other slug is accepted too */
export const PACK_CATEGORIES = ['erp', 'scm', 'crm', 'other'] as const;

export const PackManifestSchema = Type.Object(
  {
    /** a slug: the folder name under templates/ and the id in `POST /api/packs/:packId/install` */
    id: Type.String({ pattern: '^[a-z][a-z0-9-]{0,63}$' }),
    name: BiText(200),
    /** semantic version, e.g. 1.2.0 (upgrades only go forward) */
    version: Type.String({ pattern: VERSION_PATTERN }),
    /** erp, scm, crm, other, or another slug */
    category: Type.String({ pattern: '^[a-z][a-z0-9-]{0,39}$' }),
    description: BiText(2000),
    /** image paths relative to the pack's folder, or https URLs */
    screenshots: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 500 }), { maxItems: 20 })),
  },
  { additionalProperties: false },
);
export type PackManifest = Static<typeof PackManifestSchema>;

// DashboardDefinitionSchema carries `$id`: a document may name one $id once, so the pack embeds a copy without it
const { $id: _dashboardId, ...DashboardDefinitionCopy } = DashboardDefinitionSchema;

export interface PackForm {
  key: string;
  definition: Static<typeof FormDefinitionSchema>;
}
export interface PackDashboard {
  key: string;
  definition: DashboardDefinition;
}

export const PackRoleSchema = Type.Object(
  {
    key: PackKey,
    name: LabelSchema,
    description: Type.Optional(LabelSchema),
    /** what the role may do with the installed app as a whole */
    app: Type.Optional(AppGrantSchema),
    /** form key → one permission group, or several */
    forms: Type.Optional(Type.Record(PackKey, Type.Union([FormGrantSchema, Type.Array(FormGrantSchema, { maxItems: 20 })]), { maxProperties: 500 })),
  },
  { additionalProperties: false },
);
export type PackRole = Static<typeof PackRoleSchema>;

export const PackRecordSchema = Type.Object(
  {
    key: PackKey,
    data: Type.Record(Type.String(), Type.Unknown()),
    /** the record's status (default: as a new record) */
    status: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_]{0,31}$' })),
  },
  { additionalProperties: false },
);
export type PackRecord = Static<typeof PackRecordSchema>;

/**
 * A data migration: when an app is upgraded from a version before `since` to
 * `since` or later, the records of `form` that match `filter` get `values`
 * (json-logic over the record's own fields; `$today`, `$now`). The only way an
 * upgrade changes records; each record changes once, through the record engine.
 */
export const PackMigrationSchema = Type.Object(
  {
    id: PackKey,
    /** the pack version that brings it */
    since: Type.String({ pattern: VERSION_PATTERN }),
    description: Type.Optional(BiText(2000)),
    form: PackKey,
    /** which records (a filter tree with plain values); every record when absent */
    filter: Type.Optional(Type.Unknown()),
    values: Type.Record(Type.String({ pattern: '^[a-zA-Z][a-zA-Z0-9_]{0,63}$' }), Type.Unknown(), { minProperties: 1, maxProperties: 200 }),
  },
  { additionalProperties: false },
);
export type PackMigration = Static<typeof PackMigrationSchema>;

/** The pack schema around given schemas of a form, a workflow and a dashboard definition. */
function packSchema<F extends TSchema, W extends TSchema, D extends TSchema>(form: F, workflow: W, dashboard: D) {
  return Type.Object(
    {
      manifest: PackManifestSchema,
      forms: Type.Array(Type.Object({ key: PackKey, definition: form }, { additionalProperties: false }), { minItems: 1, maxItems: 200 }),
      /** form key → its workflow (graph and automations) */
      workflows: Type.Optional(Type.Record(PackKey, workflow, { maxProperties: 200 })),
      dashboards: Type.Optional(Type.Array(Type.Object({ key: PackKey, definition: dashboard }, { additionalProperties: false }), { maxItems: 100 })),
      roles: Type.Optional(Type.Array(PackRoleSchema, { maxItems: 200 })),
      /** form key → print templates (checked against the print template schema by check-pack.ts) */
      printTemplates: Type.Optional(Type.Record(PackKey, Type.Array(Type.Unknown(), { maxItems: 50 }), { maxProperties: 200 })),
      /** data migrations, run by upgrades (never by installs) */
      migrations: Type.Optional(Type.Array(PackMigrationSchema, { maxItems: 100 })),
      /** form key → sample records, installed on request */
      records: Type.Optional(Type.Record(PackKey, Type.Array(PackRecordSchema, { maxItems: 5000 }), { maxProperties: 200 })),
    },
    { additionalProperties: false },
  );
}

/** The JSON Schema of a pack file (templates/<id>/pack.json). */
export const PackSchema = packSchema(FormDefinitionSchema, WorkflowDefinitionSchema, Type.Unsafe<DashboardDefinition>(DashboardDefinitionCopy));

/**
 * The same with the definitions left open: check-pack.ts checks each form,
 * workflow and dashboard with its own check (which compiles its own schema),
 * instead of compiling them all a second time inside the pack's.
 */
export const PackOutlineSchema = packSchema(Type.Unknown(), Type.Unknown(), Type.Unknown());
export type Pack = Omit<Static<typeof PackSchema>, 'dashboards'> & { dashboards?: PackDashboard[] };

/** What `GET /api/packs` lists of each bundled pack. */
export interface PackSummary extends PackManifest {
  forms: number;
  records: number;
}
