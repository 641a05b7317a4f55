import {
  assertFormDefinition, TrellisError,
  type DefinitionProblem, type Field, type FieldType, type FormAccess, type FormDefinition, type SubField,
} from '@trellis/core';
import { forbidden, notFound } from '../http/errors.js';
import type { FormEntity, FormVersionEntity, IndexSpec, Store } from '../store/port.js';
import type { AccessService } from './access/access-service.js';
import type { UserActor } from './access/actor.js';
import type { FormCatalog, PublishedForm } from './form-catalog.js';
import { newId } from './ids.js';

/** A form as one person may see it: the draft only for those who may change the form. */
export interface FormView {
  form: FormEntity;
  published: PublishedForm | null;
  /** the person may change the form (designers, administrators, `manage`) */
  design: boolean;
  /** their access to its records, null while the form was never published */
  access: FormAccess | null;
}

/** Forms: create, edit the draft, publish versions; designers and administrators change them, others read what they may use. */
export class FormService {
  constructor(
    private readonly store: Store,
    private readonly catalog: FormCatalog,
    private readonly access: AccessService,
  ) {}

  async create(actor: UserActor, appId: string, definition: FormDefinition): Promise<FormEntity> {
    if (!(await this.store.apps.get(appId))) throw notFound('App', appId);
    await this.access.requireApp(actor, appId, 'design');
    assertFormDefinition(definition);
    const now = new Date().toISOString();
    const form: FormEntity = { id: newId(), appId, draft: definition, publishedVersion: 0, version: 1, createdAt: now, updatedAt: now };
    await this.store.forms.create(form);
    return form;
  }

  /** The form as the actor may see it; 404 when it is closed to them altogether. */
  async get(actor: UserActor, formId: string): Promise<FormView> {
    const form = await this.catalog.get(formId);
    const published = await this.catalog.publishedOf(form);
    const view = await this.view(actor, form, published);
    if (!view) throw notFound('Form', formId);
    return view;
  }

  /** The app's forms the actor may see (every form for its designers). */
  async list(actor: UserActor, appId: string): Promise<FormView[]> {
    if (!(await this.store.apps.get(appId))) throw notFound('App', appId);
    await this.access.requireApp(actor, appId, 'open');
    const out: FormView[] = [];
    for (const form of await this.store.forms.listByApp(appId)) {
      const view = await this.view(actor, form, await this.catalog.publishedOf(form));
      if (view) out.push(view);
    }
    return out;
  }

  async versions(actor: UserActor, formId: string): Promise<FormVersionEntity[]> {
    await this.requireDesign(actor, formId);
    return this.store.forms.listVersions(formId);
  }

  async saveDraft(actor: UserActor, formId: string, definition: FormDefinition, expectedVersion: number | null): Promise<FormView> {
    await this.requireDesign(actor, formId);
    assertFormDefinition(definition);
    const saved = await this.store.forms.saveDraft(formId, definition, expectedVersion, new Date().toISOString());
    if (!saved) throw notFound('Form', formId);
    return { form: saved, published: await this.catalog.publishedOf(saved), design: true, access: null };
  }

  /** Checks the draft against the other forms it names, then stores it as the next published version. */
  async publish(actor: UserActor, formId: string): Promise<FormVersionEntity> {
    const form = await this.requireDesign(actor, formId);
    const definition = await this.resolveReferences(actor, formId, form.draft);
    assertFormDefinition(definition);
    await this.store.records.syncIndexes(formId, indexSpecs(definition));
    const version = await this.store.forms.publish(formId, definition, actor.id, new Date().toISOString());
    this.catalog.forget(formId);
    return version;
  }

  /** What the actor sees of a form, or null when it is closed to them. */
  private async view(actor: UserActor, form: FormEntity, published: PublishedForm | null): Promise<FormView | null> {
    const access = published ? await this.access.form(actor, published) : null;
    const design = await this.mayDesign(actor, form, access);
    if (design) return { form, published, design, access };
    if (!access || (!access.can.view && !access.can.submit)) return null;
    return { form, published, design, access };
  }

  private async mayDesign(actor: UserActor, form: FormEntity, access: FormAccess | null): Promise<boolean> {
    if (actor.principal.admin || access?.can.manage) return true;
    if (actor.principal.partner) return false;
    const forms = await this.store.forms.listByApp(form.appId);
    return this.access.app(actor, form.appId, forms.map((f) => f.id)).design;
  }

  /** The form, when the actor may change it; 404 when closed to them, 403 when they may only use it. */
  async requireDesign(actor: UserActor, formId: string): Promise<FormEntity> {
    const form = await this.catalog.get(formId);
    const published = await this.catalog.publishedOf(form);
    const view = await this.view(actor, form, published);
    if (!view) throw notFound('Form', formId);
    if (!view.design) throw forbidden('You may use this form but not change it');
    return form;
  }

  /** Fills each lookup's `valueType` from the linked form and reports links, lookups and fills that name nothing. */
  private async resolveReferences(actor: UserActor, formId: string, draft: FormDefinition): Promise<FormDefinition> {
    const problems: DefinitionProblem[] = [];
    const targets = new Map<string, FormDefinition | null>();
    // a form the designer may not read counts as missing: publishing must not tell them its fields
    const target = async (id: string): Promise<FormDefinition | null> => {
      if (!targets.has(id)) {
        if (id === formId) targets.set(id, draft);
        else {
          const f = await this.store.forms.get(id);
          const published = f ? await this.catalog.publishedOf(f) : null;
          const view = f && published ? await this.view(actor, f, published) : null;
          targets.set(id, published && view && (view.design || view.access?.can.view) ? published.version.definition : null);
        }
      }
      return targets.get(id) ?? null;
    };

    const resolveFields = async <F extends Field | SubField>(fields: F[], where: string): Promise<F[]> => {
      const out: F[] = [];
      for (const [i, field] of fields.entries()) {
        let next: F = field;
        if (field.type === 'link' && field.form && !(await target(field.form))) {
          problems.push({ path: `${where}[${i}].form`, code: 'linkTarget', message: `Field "${field.key}" links to form "${field.form}", which does not exist or is not published` });
        }
        if (field.type === 'lookup' && field.link && field.field) {
          const link = fields.find((f) => f.key === field.link);
          const def = link?.form ? await target(link.form) : null;
          const source = def?.fields.find((f) => f.key === field.field);
          if (def && !source) {
            problems.push({ path: `${where}[${i}].field`, code: 'lookupField', message: `Lookup "${field.key}" reads "${field.field}", which the linked form does not have` });
          } else if (source) {
            next = { ...field, valueType: valueTypeOf(source) };
          }
        }
        if ('fields' in field && Array.isArray(field.fields)) {
          next = { ...next, fields: await resolveFields(field.fields, `${where}[${i}].fields`) };
        }
        out.push(next);
      }
      return out;
    };

    const fields = await resolveFields(draft.fields, 'fields');
    for (const [i, rule] of (draft.rules ?? []).entries()) {
      if (!rule.fill) continue;
      const def = await target(rule.fill.form);
      if (!def) problems.push({ path: `rules[${i}].fill.form`, code: 'fillTarget', message: `Rule for "${rule.field}" fills from form "${rule.fill.form}", which does not exist or is not published` });
      else {
        for (const key of [rule.fill.take, ...Object.keys(rule.fill.match)]) {
          if (!def.fields.some((f) => f.key === key)) {
            problems.push({ path: `rules[${i}].fill`, code: 'fillField', message: `Rule for "${rule.field}" names "${key}", which form "${rule.fill.form}" does not have` });
          }
        }
      }
    }
    if (problems.length) throw new TrellisError('INVALID_DEFINITION', problems.map((p) => p.message).join('; '), { problems });
    return { ...draft, fields };
  }
}

/** The plain type a lookup holds when it copies `source`. */
function valueTypeOf(source: Field | SubField): FieldType {
  if (source.type === 'lookup') return source.valueType ?? 'text';
  if (source.type === 'formula') {
    const byResult = { number: 'number', text: 'text', date: 'date', boolean: 'checkbox' } as const;
    return byResult[source.resultType ?? 'number'];
  }
  return source.type;
}

/** Store indexes the published form wants: indexed and unique top-level fields. */
export function indexSpecs(definition: FormDefinition): IndexSpec[] {
  return definition.fields
    .filter((f) => (f.indexed || f.unique) && f.type !== 'subtable')
    .map((f) => ({ key: f.key, unique: Boolean(f.unique) }));
}
