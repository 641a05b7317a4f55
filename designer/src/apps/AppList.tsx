// The app list: every app the user may see, "New app" (blank), and the template center with the
// bundled packs (TemplateCenter).
import { CreateNamed } from './CreateNamed';
import { TemplateCenter } from './TemplateCenter';
import type { Label } from '@trellis/core';
import { get, post } from '@trellis/app/lib/api';
import { useT } from '@trellis/app/lib/i18n';
import { href, linkHandler, navigate } from '@trellis/app/lib/router';
import { useSession } from '@trellis/app/lib/session';
import { useAsync } from '@trellis/app/lib/use-async';
import { Async } from '@trellis/app/ui/common';
import './app-list.css';

export interface AppSummary {
  id: string;
  name: Label;
  description?: Label;
  icon?: string;
  color?: string;
  updatedAt: string;
}

export default function AppList() {
  const t = useT();
  const session = useSession();
  // installing a pack creates an app, which only administrators may do
  const admin = session.status === 'signedIn' && session.user.admin;
  const [apps, reload] = useAsync((signal) => get<{ items: AppSummary[] }>('/api/apps', { signal }), []);
  return (
    <div className="apps-page stack">
      <div className="row">
        <h1 style={{ margin: 0 }}>{t({ en: 'Apps', zh: '应用' })}</h1>
      </div>
      <NewAppForm />
      <section aria-labelledby="apps-mine" className="stack">
        <h2 id="apps-mine">{t({ en: 'Your apps', zh: '我的应用' })}</h2>
        <Async state={apps} onRetry={reload}>
          {({ items }) =>
            items.length === 0 ? (
              <p className="muted">{t({ en: 'No apps yet. Create one above or start from a template.', zh: '还没有应用。在上方新建，或从模板开始。' })}</p>
            ) : (
              <ul className="app-grid" aria-label={t({ en: 'Apps', zh: '应用' })}>
                {items.map((app) => (
                  <li key={app.id}>
                    <a className="card app-card" href={href(`/apps/${app.id}`)} onClick={linkHandler(`/apps/${app.id}`)}>
                      <span className="app-icon" aria-hidden="true" style={{ background: app.color ?? 'var(--c-primary)' }}>
                        {app.icon ?? (t(app.name).slice(0, 1) || '·')}
                      </span>
                      <span className="app-card-text">
                        <strong>{t(app.name)}</strong>
                        {app.description !== undefined && <span className="muted">{t(app.description)}</span>}
                      </span>
                    </a>
                  </li>
                ))}
              </ul>
            )
          }
        </Async>
      </section>
      {admin && <TemplateCenter />}
    </div>
  );
}

function NewAppForm() {
  return (
    <CreateNamed
      id="new-app" title={{ en: 'New app', zh: '新建应用' }} noun={{ en: 'App name', zh: '应用名称' }}
      missing={{ en: 'Give the app a name.', zh: '请填写应用名称。' }} submit={{ en: 'Create app', zh: '创建应用' }}
      create={async (name) => {
        const app = await post<AppSummary>('/api/apps', { name });
        navigate(`/apps/${app.id}`);
      }}
    />
  );
}
