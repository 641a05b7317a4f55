// The app list: every app the user may see, "New app" (blank), and "From template" with the
// bundled packs (GET /api/packs; a server without packs answers 404 and the section says so).
import { useState } from 'react';
import { CreateNamed } from './CreateNamed';
import type { Label } from '@trellis/core';
import { ApiError, get, post } from '@trellis/app/lib/api';
import { useT } from '@trellis/app/lib/i18n';
import { href, linkHandler, navigate } from '@trellis/app/lib/router';
import { useAsync } from '@trellis/app/lib/use-async';
import { Async, ErrorBox } from '@trellis/app/ui/common';
import './app-list.css';

export interface AppSummary {
  id: string;
  name: Label;
  description?: Label;
  icon?: string;
  color?: string;
  updatedAt: string;
}

interface Pack {
  id: string;
  name: Label;
  description?: Label;
}

export default function AppList() {
  const t = useT();
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
      <Templates />
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

function Templates() {
  const t = useT();
  // the packs endpoint arrives with the template packs; until then (404) there are none to show
  const [packs, reload] = useAsync(async (signal) => {
    try {
      const res = await get<{ items: Pack[] } | Pack[]>('/api/packs', { signal });
      return Array.isArray(res) ? res : res.items;
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return null;
      throw err;
    }
  }, []);
  const [installing, setInstalling] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  async function install(pack: Pack) {
    setInstalling(pack.id);
    setError(null);
    try {
      const res = await post<{ id?: string; app?: { id: string }; appId?: string }>(`/api/packs/${encodeURIComponent(pack.id)}/install`, {});
      const appId = res.app?.id ?? res.appId ?? res.id;
      navigate(appId ? `/apps/${appId}` : '/');
    } catch (err) {
      setError(err);
    } finally {
      setInstalling(null);
    }
  }
  return (
    <section aria-labelledby="apps-templates" className="stack">
      <h2 id="apps-templates">{t({ en: 'From template', zh: '从模板创建' })}</h2>
      <Async state={packs} onRetry={reload}>
        {(items) =>
          items === null || items.length === 0 ? (
            <p className="muted">{t({ en: 'No template packs are installed on this server.', zh: '此服务器没有安装模板包。' })}</p>
          ) : (
            <ul className="app-grid" aria-label={t({ en: 'Template packs', zh: '模板包' })}>
              {items.map((p) => (
                <li key={p.id} className="card stack">
                  <strong>{t(p.name)}</strong>
                  {p.description !== undefined && <span className="muted">{t(p.description)}</span>}
                  <button type="button" className="btn btn-sm" disabled={installing !== null} onClick={() => void install(p)}>
                    {installing === p.id ? t({ en: 'Installing…', zh: '安装中…' }) : t({ en: 'Use template {name}', zh: '使用模板 {name}' }, { name: t(p.name) })}
                  </button>
                </li>
              ))}
            </ul>
          )
        }
      </Async>
      {error !== null && <ErrorBox error={error} />}
    </section>
  );
}
