// A form's print templates in the designer (/forms/:formId/print): the list, "New template"
// (started from the form's fields), and the editor of the chosen one.
import { useState } from 'react';
import type { FormDefinition, PrintTemplateDefinition } from '@trellis/core';
import { get, post } from '@trellis/app/lib/api';
import { useT } from '@trellis/app/lib/i18n';
import { href, linkHandler } from '@trellis/app/lib/router';
import { useAsync } from '@trellis/app/lib/use-async';
import { Async, errorText } from '@trellis/app/ui/common';
import { starterTemplate } from './model';
import { TemplateEditor, type TemplateItem } from './TemplateEditor';
import './print.css';

interface FormReply {
  id: string;
  appId: string;
  draft: FormDefinition | null;
  published?: { version: number; definition: FormDefinition } | null;
}

export default function PrintTemplatesPage({ formId }: { formId: string }) {
  const [state, reload] = useAsync(async (signal) => {
    const [form, list] = await Promise.all([
      get<FormReply>(`/api/forms/${encodeURIComponent(formId)}`, { signal }),
      get<{ items: TemplateItem[] }>(`/api/forms/${encodeURIComponent(formId)}/print-templates`, { signal }),
    ]);
    return { form, items: list.items };
  }, [formId]);
  return (
    <Async state={state} onRetry={reload}>
      {({ form, items }) => <Templates key={formId} form={form} initial={items} />}
    </Async>
  );
}

function Templates({ form, initial }: { form: FormReply; initial: TemplateItem[] }) {
  const t = useT();
  const definition = form.published?.definition ?? form.draft ?? { name: '', fields: [] };
  const [items, setItems] = useState(initial);
  const [selected, setSelected] = useState<string | null>(initial[0]?.id ?? null);
  const [error, setError] = useState<string | null>(null);
  const current = items.find((i) => i.id === selected) ?? null;

  const create = async () => {
    setError(null);
    try {
      const created = await post<TemplateItem>(`/api/forms/${encodeURIComponent(form.id)}/print-templates`, starterTemplate(definition) satisfies PrintTemplateDefinition);
      setItems((xs) => [...xs, created]);
      setSelected(created.id);
    } catch (e) {
      setError(errorText(e, t));
    }
  };

  return (
    <div className="pt-page">
      <div className="row pt-toolbar">
        <nav aria-label={t({ en: 'Breadcrumb', zh: '路径' })} className="muted">
          <a href={href(`/apps/${form.appId}`)} onClick={linkHandler(`/apps/${form.appId}`)}>{t({ en: 'App', zh: '应用' })}</a> /{' '}
          <a href={href(`/forms/${form.id}`)} onClick={linkHandler(`/forms/${form.id}`)}>{t(definition.name) || t({ en: 'Form', zh: '表单' })}</a> /
        </nav>
        <h1>{t({ en: 'Print templates', zh: '打印模板' })}</h1>
      </div>
      {!form.published && <div className="alert alert-info" role="status">{t({ en: 'Publish the form to print its records; templates are checked against its draft until then.', zh: '发布表单后才能打印记录；在此之前模板按草稿检查。' })}</div>}
      {error && <div className="alert" role="alert">{error}</div>}
      <div className="pt-body">
        <aside className="card stack pt-list">
          <ul aria-label={t({ en: 'Print templates', zh: '打印模板' })}>
            {items.map((i) => (
              <li key={i.id}>
                <button type="button" className={`btn btn-sm btn-block${i.id === selected ? ' btn-primary' : ''}`} aria-current={i.id === selected ? 'true' : undefined} onClick={() => setSelected(i.id)}>
                  {t(i.definition.name) || t({ en: 'Untitled', zh: '未命名' })}
                </button>
              </li>
            ))}
          </ul>
          {items.length === 0 && <p className="muted">{t({ en: 'No print templates yet.', zh: '还没有打印模板。' })}</p>}
          <button type="button" className="btn btn-sm" onClick={() => void create()}>{t({ en: 'New template', zh: '新建模板' })}</button>
        </aside>
        {current ? (
          <TemplateEditor
            key={current.id}
            item={current}
            form={definition}
            formId={form.id}
            published={!!form.published}
            onSaved={(saved) => setItems((xs) => xs.map((x) => (x.id === saved.id ? saved : x)))}
            onDeleted={(id) => {
              setItems((xs) => xs.filter((x) => x.id !== id));
              setSelected(null);
            }}
          />
        ) : (
          <p className="muted">{t({ en: 'Choose a template, or create one.', zh: '请选择或新建一个模板。' })}</p>
        )}
      </div>
    </div>
  );
}
