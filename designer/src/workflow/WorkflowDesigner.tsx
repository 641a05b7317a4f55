// The workflow designer screen (/forms/:formId/workflow): loads the form, its workflow draft, the
// target forms of its actions and the organisation, then hands them to the editor.
import { useMemo } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import { actionForm, type FormDefinition, type Label } from '@trellis/core';
import { get } from '@trellis/app/lib/api';
import { useT } from '@trellis/app/lib/i18n';
import { useAsync } from '@trellis/app/lib/use-async';
import { Async } from '@trellis/app/ui/common';
import { loadDepartments, loadMembers, loadRoles } from '../org/org-data';
import { Editor, type WorkflowView } from './Editor';
import { starterDefinition } from './model';
import { DirectoryContext, formFields, type Directory, type Org } from './org-context';
import './workflow.css';

interface FormReply {
  id: string;
  appId: string;
  draft: unknown;
  published?: { definition: unknown } | null;
}

async function loadScreen(formId: string, signal: AbortSignal) {
  const enc = encodeURIComponent(formId);
  const [form, workflow] = await Promise.all([
    get<FormReply>(`/api/forms/${enc}`, { signal }),
    get<WorkflowView>(`/api/forms/${enc}/workflow`, { signal }),
  ]);
  const definition = formFields(form);
  // action targets, so the live check and the mapping pickers know their fields
  const targets = [...new Set(workflow.draft.nodes.flatMap((n) => (n.type === 'action' && actionForm(n.action) ? [actionForm(n.action)!] : [])))];
  const forms = new Map<string, FormDefinition | null>(
    await Promise.all(targets.map(async (id) => [id, await get<FormReply>(`/api/forms/${encodeURIComponent(id)}`, { signal }).then((f) => (f.published?.definition as FormDefinition | undefined) ?? null, () => null)] as [string, FormDefinition | null])),
  );
  return { form, definition, workflow, forms };
}

export default function WorkflowDesigner({ formId }: { formId: string }) {
  const t = useT();
  const [screen, reload] = useAsync((signal) => loadScreen(formId, signal), [formId]);
  const [org] = useAsync(
    async (signal): Promise<Org> => {
      const [users, departments, roles] = await Promise.all([loadMembers(signal), loadDepartments(signal), loadRoles(signal)]);
      return { users, departments, roles };
    },
    [],
  );
  return (
    <Async state={screen} onRetry={reload}>
      {(s) =>
        s.definition ? (
          <Loaded formId={formId} appId={s.form.appId} definition={s.definition} view={s.workflow} forms={s.forms} org={org} />
        ) : (
          <p className="alert">{t({ en: 'This form has no fields yet: design and publish it first.', zh: '此表单还没有字段：请先设计并发布表单。' })}</p>
        )
      }
    </Async>
  );
}

function Loaded(props: { formId: string; appId: string; definition: FormDefinition; view: WorkflowView; forms: Map<string, FormDefinition | null>; org: Directory['org'] }) {
  const dir: Directory = useMemo(
    () => ({ org: props.org, formId: props.formId, appId: props.appId, fields: props.definition.fields }),
    [props.org, props.formId, props.appId, props.definition],
  );
  // an empty draft starts with a start and an end to draw between
  const view = useMemo(
    () => (props.view.draft.nodes.length ? props.view : { ...props.view, draft: { ...props.view.draft, ...starterDefinition() } }),
    [props.view],
  );
  return (
    <DirectoryContext.Provider value={dir}>
      <ReactFlowProvider>
        <Editor view={view} form={props.definition} formName={props.definition.name as Label} initialForms={props.forms} />
      </ReactFlowProvider>
    </DirectoryContext.Provider>
  );
}
