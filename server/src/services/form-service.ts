import {
  assertFormDefinition, compileForm, TrellisError,
  type CompiledForm, type DefinitionProblem, type Field, type FieldType, type FormDefinition, type SubField,
} from '@trellis/core';
import { notFound } from '../http/errors.js';
import type { FormEntity, FormVersionEntity, IndexSpec, Store } from '../store/port.js';
import { newId } from './ids.js';

export interface PublishedForm {
  form: FormEntity;
  version: FormVersionEntity;
  compiled: CompiledForm;
}

// Which version is current is read at most once a second per form on each node;
// published versions themselves never change, so their compiled form is cached for good.
const CURRENT_TTL_MS = 1000;

/** Forms: create, edit the draft, publish versions, serve the compiled published version. */
export class FormService {
  private readonly current = new Map<string, { at: number; published: PublishedForm }>();

  constructor(private readonly store: Store) {}

  /** Drops cached published versions of an app's forms (the app was deleted). */
  forgetApp(appId: string): void {
    for (const [formId, hit] of this.current) if (hit.published.form.appId === appId) this.current.delete(formId);
  }

  async create(appId: string, definition: FormDefinition): Promise<FormEntity> {
    if (!(await this.store.apps.get(appId))) throw notFound('App', appId);
    assertFormDefinition(definition);
    const now = new Date().toISOString();
    const form: FormEntity = { id: newId(), appId, draft: definition, publishedVersion: 0, version: 1, createdAt: now, updatedAt: now };
    await this.store.forms.create(form);
    return form;
  }

  async get(formId: string): Promise<FormEntity> {
    const form = await this.store.forms.get(formId);
    if (!form) throw notFound('Form', formId);
    return form;
  }

  async list(appId: string): Promise<FormEntity[]> {
    if (!(await this.store.apps.get(appId))) throw notFound('App', appId);
    return this.store.forms.listByApp(appId);
  }

  async versions(formId: string): Promise<FormVersionEntity[]> {
    await this.get(formId);
    return this.store.forms.listVersions(formId);
  }

  async saveDraft(formId: string, definition: FormDefinition, expectedVersion: number | null): Promise<FormEntity> {
    assertFormDefinition(definition);
    const saved = await this.store.forms.saveDraft(formId, definition, expectedVersion, new Date().toISOString());
    if (!saved) throw notFound('Form', formId);
    return saved;
  }

  /** Checks the draft against the other forms it names, then stores it as the next published version. */
  async publish(formId: string, by: string | null): Promise<FormVersionEntity> {
    const form = await this.get(formId);
    const definition = await this.resolveReferences(formId, form.draft);
    assertFormDefinition(definition);
    await this.store.records.syncIndexes(formId, indexSpecs(definition));
    const version = await this.store.forms.publish(formId, definition, by, new Date().toISOString());
    this.current.delete(formId);
    return version;
  }

  /** The current published version, compiled; 404 when the form is missing, 409 when never published. */
  async published(formId: string): Promise<PublishedForm> {
    const hit = this.current.get(formId);
    if (hit && Date.now() - hit.at < CURRENT_TTL_MS) return hit.published;
    const form = await this.get(formId);
    if (form.publishedVersion === 0) throw new TrellisError('CONFLICT', `Form "${formId}" has no published version yet`, { formId });
    const published = await this.version(form, form.publishedVersion);
    this.current.set(formId, { at: Date.now(), published });
    return published;
  }

  /** The compiled current published version of `form`, null while it was never published. */
  publishedOf(form: FormEntity): Promise<PublishedForm | null> {
    return form.publishedVersion > 0 ? this.version(form, form.publishedVersion) : Promise.resolve(null);
  }

  /** A given published version of a form, compiled (records remember the version they were written under). */
  async version(form: FormEntity, version: number): Promise<PublishedForm> {
    const v = await this.store.forms.getVersion(form.id, version);
    if (!v) throw notFound('Form version', `${form.id}@${version}`);
    return { form, version: v, compiled: compileForm(v.definition, `${form.id}@${version}`) };
  }

  /** Fills each lookup's `valueType` from the linked form and reports links, lookups and fills that name nothing. */
  private async resolveReferences(formId: string, draft: FormDefinition): Promise<FormDefinition> {
    const problems: DefinitionProblem[] = [];
    const targets = new Map<string, FormDefinition | null>();
    const target = async (id: string): Promise<FormDefinition | null> => {
      if (!targets.has(id)) {
        if (id === formId) targets.set(id, draft);
        else {
          const f = await this.store.forms.get(id);
          const v = f && f.publishedVersion > 0 ? await this.store.forms.getVersion(id, f.publishedVersion) : null;
          targets.set(id, v ? v.definition : null);
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
