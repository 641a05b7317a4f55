// An app's home in the designer: its forms (design, workflow), "New form", the app's settings
// and a link to open it in the runtime.
import { CreateNamed } from './CreateNamed';
import type { FormDefinition, Label } from '@trellis/core';
import { get, post } from '@trellis/app/lib/api';
import { useT } from '@trellis/app/lib/i18n';
import { href, linkHandler, navigate } from '@trellis/app/lib/router';
import { useAsync } from '@trellis/app/lib/use-async';
import { Async } from '@trellis/app/ui/common';
import type { AppSummary } from './AppList';
import './app-list.css';
import { DashboardsSection } from '../dashboards/DashboardsSection';

interface FormSummary {
  id: string;
  version: number;
  publishedVersion: number;
  draft: FormDefinition | null;
  updatedAt: string;
  published?: { version: number; definition: FormDefinition } | null;
}

function formName(f: FormSummary): Label {
  return f.draft?.name ?? f.published?.definition.name ?? f.id;
}

export default function AppHome({ appId }: { appId: string }) {
  const t = useT();
  const [state, reload] = useAsync(
    async (signal) => {
      const [app, forms] = await Promise.all([
        get<AppSummary>(`/api/apps/${encodeURIComponent(appId)}`, { signal }),
        get<{ items: FormSummary[] }>(`/api/apps/${encodeURIComponent(appId)}/forms`, { signal }),
      ]);
      return { app, forms: forms.items };
    },
    [appId],
  );
  return (
    <div className="apps-page stack">
      <Async state={state} onRetry={reload}>
        {({ app, forms }) => (
          <>
            <nav aria-label={t({ en: 'Breadcrumb', zh: '路径' })} className="muted">
              <a href={href('/')} onClick={linkHandler('/')}>{t({ en: 'Apps', zh: '应用' })}</a> / {t(app.name)}
            </nav>
            <div className="row">
              <h1 style={{ margin: 0 }}>{t(app.name)}</h1>
              <span className="spacer" />
              <a className="btn btn-sm" href={href(`/apps/${appId}/settings`)} onClick={linkHandler(`/apps/${appId}/settings`)}>
                {t({ en: 'Settings', zh: '设置' })}
              </a>
              <a className="btn btn-sm" href={`/app/apps/${encodeURIComponent(appId)}`}>
                {t({ en: 'Open in runtime', zh: '在应用端打开' })}
              </a>
            </div>
            {app.description !== undefined && <p className="muted">{t(app.description)}</p>}
            <NewFormForm appId={appId} />
            <section aria-labelledby="app-forms" className="stack">
              <h2 id="app-forms">{t({ en: 'Forms', zh: '表单' })}</h2>
              {forms.length === 0 ? (
                <p className="muted">{t({ en: 'No forms yet.', zh: '还没有表单。' })}</p>
              ) : (
                <ul className="card form-list" aria-label={t({ en: 'Forms', zh: '表单' })}>
                  {forms.map((f) => (
                    <li key={f.id}>
                      <span className="form-name">
                        <strong>{t(formName(f))}</strong>
                        <span className="muted">
                          {f.publishedVersion > 0
                            ? t({ en: 'Published version {v}', zh: '已发布版本 {v}' }, { v: f.publishedVersion })
                            : t({ en: 'Not published yet', zh: '尚未发布' })}
                        </span>
                      </span>
                      <a className="btn btn-sm" href={href(`/forms/${f.id}`)} onClick={linkHandler(`/forms/${f.id}`)}>
                        {t({ en: 'Design form', zh: '设计表单' })}
                      </a>
                      <a className="btn btn-sm" href={href(`/forms/${f.id}/workflow`)} onClick={linkHandler(`/forms/${f.id}/workflow`)}>
                        {t({ en: 'Workflow', zh: '流程' })}
                      </a>
                      <a className="btn btn-sm" href={href(`/forms/${f.id}/print`)} onClick={linkHandler(`/forms/${f.id}/print`)}>
                        {t({ en: 'Print templates', zh: '打印模板' })}
                      </a>
                    </li>
                  ))}
                </ul>
              )}
            </section>
            <DashboardsSection appId={appId} />
          </>
        )}
      </Async>
    </div>
  );
}

function NewFormForm({ appId }: { appId: string }) {
  return (
    <CreateNamed
      id="new-form" title={{ en: 'New form', zh: '新建表单' }} noun={{ en: 'Form name', zh: '表单名称' }}
      missing={{ en: 'Give the form a name.', zh: '请填写表单名称。' }} submit={{ en: 'Create form', zh: '创建表单' }}
      create={async (name) => {
        const form = await post<{ id: string }>(`/api/apps/${encodeURIComponent(appId)}/forms`, { name, fields: [] });
        navigate(`/forms/${form.id}`);
      }}
    />
  );
}
