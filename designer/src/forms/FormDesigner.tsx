// The form designer screen (/forms/:formId): loads the form, the app's other forms (link targets,
// lookups, value linkage, where-used), the form's workflow and the app's dashboards (where-used),
// then hands over to the Designer.
import type { DashboardDefinition, DashboardLike, FormDefinition, WorkflowDefinition } from '@trellis/core';
import { ApiError, get } from '@trellis/app/lib/api';
import { useAsync } from '@trellis/app/lib/use-async';
import { Async } from '@trellis/app/ui/common';
import { Designer, type LoadedForm } from './Designer';
import type { AppForm } from './model';
import './form-designer.css';

type FormReply = Omit<LoadedForm, 'published'> & {
  published?: { version: number; definition: FormDefinition } | null;
};

export async function loadAppForms(appId: string, signal?: AbortSignal): Promise<AppForm[]> {
  const { items } = await get<{ items: FormReply[] }>(`/api/apps/${encodeURIComponent(appId)}/forms`, { signal });
  return items.flatMap((f) => {
    const definition = f.published?.definition ?? f.draft;
    return definition ? [{ id: f.id, name: definition.name, definition, published: !!f.published }] : [];
  });
}

/** the app's dashboards as where-used reads them (none when the designer may not read them) */
async function loadAppDashboards(appId: string, signal?: AbortSignal): Promise<DashboardLike[]> {
  try {
    const { items } = await get<{ items: { id: string; definition: DashboardDefinition }[] }>(`/api/apps/${encodeURIComponent(appId)}/dashboards`, { signal });
    return items.map((d) => ({ id: d.id, name: d.definition.name, widgets: d.definition.widgets }));
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 403)) return [];
    throw e;
  }
}

export default function FormDesigner({ formId }: { formId: string }) {
  const [state, reload] = useAsync(
    async (signal) => {
      const form = await get<FormReply>(`/api/forms/${encodeURIComponent(formId)}`, { signal });
      const [forms, workflow, dashboards] = await Promise.all([
        loadAppForms(form.appId, signal),
        get<{ draft: WorkflowDefinition }>(`/api/forms/${encodeURIComponent(formId)}/workflow`, { signal })
          .then((w) => w.draft)
          .catch((e: unknown) => {
            // a form without a workflow, or one the designer may not read, has nothing to check against
            if (e instanceof ApiError && (e.status === 404 || e.status === 403)) return null;
            throw e;
          }),
        loadAppDashboards(form.appId, signal),
      ]);
      return { form: { ...form, published: form.published ?? null }, forms, workflow, dashboards };
    },
    [formId],
  );
  return (
    <Async state={state} onRetry={reload}>
      {({ form, forms, workflow, dashboards }) => <Designer key={formId} form={form} forms={forms} workflow={workflow} dashboards={dashboards} />}
    </Async>
  );
}
