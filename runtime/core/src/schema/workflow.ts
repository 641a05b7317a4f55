import { Type, type Static } from '@sinclair/typebox';
import { LabelSchema } from './label.js';
import { LogicSchema } from './logic.js';

/**
 * Workflows as admins draw them (`PUT /api/forms/:formId/workflow`, pack
 * files): a graph of nodes and edges bound to one form, plus automations
 * that run actions on record events or on a schedule. Checked by
 * workflow/check-workflow.ts; run by workflow/step.ts.
 */

const NodeId = Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_-]{0,63}$' });
const Id = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' });
const FieldKey = Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,63}$' });
// Not the recursive FilterSchema itself: it carries `$id: "Filter"`, and ajv refuses a document
// naming one $id twice (actions appear under nodes and automations). check-workflow.ts validates it.
const FilterValue = Type.Unknown({ description: 'a filter tree (query/query.ts FilterSchema); checked by checkWorkflow' });

export const DurationSchema = Type.Object(
  { amount: Type.Integer({ minimum: 1, maximum: 100_000 }), unit: Type.Union([Type.Literal('minutes'), Type.Literal('hours'), Type.Literal('days')]) },
  { additionalProperties: false },
);
export type Duration = Static<typeof DurationSchema>;

/** Who gets an approval task or a CC. */
export const AssigneeSchema = Type.Union([
  Type.Object({ type: Type.Literal('users'), users: Type.Array(Id, { minItems: 1, maxItems: 100 }) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('role'), role: Id }, { additionalProperties: false }),
  /** the leader of the submitter's department, `levels` up the tree (1: their own department) */
  Type.Object({ type: Type.Literal('leader'), levels: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })) }, { additionalProperties: false }),
  /** the user(s) named in a member field of the record */
  Type.Object({ type: Type.Literal('field'), field: FieldKey }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('submitter') }, { additionalProperties: false }),
]);
export type Assignee = Static<typeof AssigneeSchema>;

/** A value written by an action: json-logic over the source record, or for a sub-table, rows mapped from one of its sub-tables. */
export const MappingSchema = Type.Union([
  Type.Object(
    { rows: FieldKey, values: Type.Record(FieldKey, LogicSchema, { maxProperties: 200 }) },
    { additionalProperties: false, description: 'sub-table rows: one row per row of the source sub-table `rows`, each value json-logic over that row (the record under `record`)' },
  ),
  LogicSchema,
]);
export type Mapping = Static<typeof MappingSchema>;

/** What a company-registry lookup can write into the record (see the registry connector in the README). */
export const COMPANY_FACTS = [
  'found', 'name', 'creditCode', 'legalRepresentative', 'registeredCapital', 'foundedOn', 'status', 'address', 'businessScope', 'riskLevel', 'risks',
] as const;
export type CompanyFact = (typeof COMPANY_FACTS)[number];

export const ActionSchema = Type.Union([
  Type.Object(
    {
      type: Type.Literal('createRecord'),
      form: Id,
      values: Type.Record(FieldKey, MappingSchema, { maxProperties: 200 }),
      /** one record per row of this sub-table of the source record (e.g. a work order per plan line): the values then read the row's columns, and the record as `record` */
      forEach: Type.Optional(FieldKey),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal('updateRecords'),
      form: Id,
      /** which records: a filter whose values may be json-logic over the source record */
      filter: FilterValue,
      values: Type.Record(FieldKey, LogicSchema, { maxProperties: 200 }),
      /** at most this many records are changed (default 100) */
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal('webhook'),
      url: Type.String({ pattern: '^https?://', maxLength: 2000 }),
      /** signs the body: header `X-Trellis-Signature: sha256=<hex HMAC>` */
      secret: Type.Optional(Type.String({ minLength: 8, maxLength: 200 })),
      /** json-logic building the JSON body (default: the record) */
      body: Type.Optional(LogicSchema),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal('notify'),
      /** who is told: the people these assignees stand for when the action runs */
      to: Type.Array(AssigneeSchema, { minItems: 1, maxItems: 20 }),
      /** the message; `{field}` is replaced by the record's value of that field */
      message: LabelSchema,
    },
    { additionalProperties: false, description: 'an in-app notification (a reminder, a heads-up) to people' },
  ),
  Type.Object(
    {
      type: Type.Literal('lookupCompany'),
      /** json-logic over the record giving the company name or unified social credit code to look up */
      query: LogicSchema,
      /** field of this record → the company fact written into it */
      set: Type.Record(FieldKey, Type.Union(COMPANY_FACTS.map((f) => Type.Literal(f))), { minProperties: 1, maxProperties: 30 }),
    },
    { additionalProperties: false, description: 'fills the record with company facts and risk flags from the configured business registry' },
  ),
  Type.Object(
    {
      type: Type.Literal('assignInTurn'),
      /** the member field of this record that gets the next person (left alone when it already names someone) */
      field: FieldKey,
      /** the people who take turns */
      among: Type.Array(AssigneeSchema, { minItems: 1, maxItems: 20 }),
    },
    { additionalProperties: false, description: 'gives the record to the next of a group of people in turn (round-robin)' },
  ),
]);
export type Action = Static<typeof ActionSchema>;

/** The form whose records an action creates or updates; null for actions that write no other form. */
export function actionForm(action: Action): string | null {
  return action.type === 'createRecord' || action.type === 'updateRecords' ? action.form : null;
}

const NodeBase = { id: NodeId, name: Type.Optional(LabelSchema) };

export const TimeoutSchema = Type.Object(
  {
    after: DurationSchema,
    /** remind the assignees; or decide for them; or hand the task to `escalateTo` */
    action: Type.Union([Type.Literal('remind'), Type.Literal('approve'), Type.Literal('reject'), Type.Literal('escalate')]),
    escalateTo: Type.Optional(Type.Array(AssigneeSchema, { minItems: 1, maxItems: 10 })),
  },
  { additionalProperties: false },
);

export const WorkflowNodeSchema = Type.Union([
  Type.Object({ ...NodeBase, type: Type.Literal('start') }, { additionalProperties: false }),
  Type.Object(
    {
      ...NodeBase,
      type: Type.Literal('approval'),
      assignees: Type.Array(AssigneeSchema, { minItems: 1, maxItems: 20 }),
      /** any: one approval decides (或签); all: everyone must approve (会签); sequential: one after another */
      mode: Type.Union([Type.Literal('any'), Type.Literal('all'), Type.Literal('sequential')]),
      /** what the approver may do with each field at this node (default read-only) */
      fields: Type.Optional(Type.Record(FieldKey, Type.Union([Type.Literal('editable'), Type.Literal('readOnly'), Type.Literal('hidden')]), { maxProperties: 500 })),
      timeout: Type.Optional(TimeoutSchema),
    },
    { additionalProperties: false },
  ),
  /** outgoing edges carry conditions; exactly one is the default */
  Type.Object({ ...NodeBase, type: Type.Literal('condition') }, { additionalProperties: false }),
  /** every outgoing edge runs; a join waits for them all */
  Type.Object({ ...NodeBase, type: Type.Literal('parallel') }, { additionalProperties: false }),
  Type.Object({ ...NodeBase, type: Type.Literal('join') }, { additionalProperties: false }),
  Type.Object({ ...NodeBase, type: Type.Literal('cc'), assignees: Type.Array(AssigneeSchema, { minItems: 1, maxItems: 20 }) }, { additionalProperties: false }),
  Type.Object({ ...NodeBase, type: Type.Literal('action'), action: ActionSchema }, { additionalProperties: false }),
  Type.Object(
    { ...NodeBase, type: Type.Literal('delay'), duration: Type.Optional(DurationSchema), until: Type.Optional(FieldKey) },
    { additionalProperties: false, description: 'waits `duration`, or until the date/datetime in field `until`' },
  ),
  /** sets the record's status (default "approved") */
  Type.Object({ ...NodeBase, type: Type.Literal('end'), status: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_]{0,31}$' })) }, { additionalProperties: false }),
]);
export type WorkflowNode = Static<typeof WorkflowNodeSchema>;
export type NodeType = WorkflowNode['type'];

export const WorkflowEdgeSchema = Type.Object(
  {
    from: NodeId,
    to: NodeId,
    /** on edges leaving a condition node: taken when true (edges are tried in order) */
    condition: Type.Optional(LogicSchema),
    /** on edges leaving a condition node: taken when no condition holds */
    default: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type WorkflowEdge = Static<typeof WorkflowEdgeSchema>;

/** When an automation runs. */
export const TriggerSchema = Type.Union([
  Type.Object({ event: Type.Literal('created') }, { additionalProperties: false }),
  Type.Object({ event: Type.Literal('updated') }, { additionalProperties: false }),
  Type.Object({ event: Type.Literal('fieldChanged'), fields: Type.Array(FieldKey, { minItems: 1, maxItems: 50 }) }, { additionalProperties: false }),
  /** a 5-field cron expression (UTC), over the records matching `filter` */
  Type.Object({ schedule: Type.String({ minLength: 9, maxLength: 100 }), filter: Type.Optional(FilterValue) }, { additionalProperties: false }),
]);
export type Trigger = Static<typeof TriggerSchema>;

export const AutomationSchema = Type.Object(
  {
    id: NodeId,
    name: Type.Optional(LabelSchema),
    on: TriggerSchema,
    /** json-logic over the record: the actions run only when it holds */
    condition: Type.Optional(LogicSchema),
    actions: Type.Array(ActionSchema, { minItems: 1, maxItems: 20 }),
  },
  { additionalProperties: false },
);
export type Automation = Static<typeof AutomationSchema>;

export const WorkflowDefinitionSchema = Type.Object(
  {
    name: Type.Optional(LabelSchema),
    nodes: Type.Array(WorkflowNodeSchema, { maxItems: 200 }),
    edges: Type.Array(WorkflowEdgeSchema, { maxItems: 400 }),
    automations: Type.Optional(Type.Array(AutomationSchema, { maxItems: 50 })),
  },
  { additionalProperties: false },
);
export type WorkflowDefinition = Static<typeof WorkflowDefinitionSchema>;
