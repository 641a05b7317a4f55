import { compileForm, TrellisError, type CompiledForm } from '@trellis/core';
import { notFound } from '../http/errors.js';
import type { FormEntity, FormVersionEntity, Store } from '../store/port.js';

export interface PublishedForm {
  form: FormEntity;
  version: FormVersionEntity;
  compiled: CompiledForm;
}

// Which version is current is read at most once a second per form on each node;
// published versions themselves never change, so their compiled form is cached for good.
const CURRENT_TTL_MS = 1000;

/** Published forms, compiled and cached: what records, access checks and share links read. No permission checks here. */
export class FormCatalog {
  private readonly current = new Map<string, { at: number; published: PublishedForm }>();

  constructor(private readonly store: Store) {}

  /** The form or 404. */
  async get(formId: string): Promise<FormEntity> {
    const form = await this.store.forms.get(formId);
    if (!form) throw notFound('Form', formId);
    return form;
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

  /** A new version was published: the next read takes it. */
  forget(formId: string): void {
    this.current.delete(formId);
  }

  /** Drops cached published versions of an app's forms (the app was deleted). */
  forgetApp(appId: string): void {
    for (const [formId, hit] of this.current) if (hit.published.form.appId === appId) this.current.delete(formId);
  }
}
