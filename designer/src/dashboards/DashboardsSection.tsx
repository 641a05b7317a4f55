// The "Dashboards" section of an app's home: its dashboards and "New dashboard".
import type { Label } from '@trellis/core';
import { get, post } from '@trellis/app/lib/api';
import { useT } from '@trellis/app/lib/i18n';
import { href, linkHandler, navigate } from '@trellis/app/lib/router';
import { useAsync } from '@trellis/app/lib/use-async';
import { Async } from '@trellis/app/ui/common';
import { CreateNamed } from '../apps/CreateNamed';

interface Summary {
  id: string;
  version: number;
  definition: { name: Label; widgets: unknown[] };
}

export function DashboardsSection({ appId }: { appId: string }) {
  const t = useT();
  const [state, reload] = useAsync(
    (signal) => get<{ items: Summary[] }>(`/api/apps/${encodeURIComponent(appId)}/dashboards`, { signal }),
    [appId],
  );
  return (
    <section aria-labelledby="app-dashboards" className="stack">
      <h2 id="app-dashboards">{t({ en: 'Dashboards', zh: '仪表盘' })}</h2>
      <CreateNamed
        id="new-dashboard" title={{ en: 'New dashboard', zh: '新建仪表盘' }} noun={{ en: 'Dashboard name', zh: '仪表盘名称' }}
        missing={{ en: 'Give the dashboard a name.', zh: '请填写仪表盘名称。' }} submit={{ en: 'Create dashboard', zh: '创建仪表盘' }}
        create={async (name) => {
          const d = await post<{ id: string }>(`/api/apps/${encodeURIComponent(appId)}/dashboards`, { name, widgets: [] });
          navigate(`/dashboards/${d.id}`);
        }}
      />
      <Async state={state} onRetry={reload}>
        {({ items }) =>
          items.length === 0 ? (
            <p className="muted">{t({ en: 'No dashboards yet.', zh: '还没有仪表盘。' })}</p>
          ) : (
            <ul className="card form-list" aria-label={t({ en: 'Dashboards', zh: '仪表盘' })}>
              {items.map((d) => (
                <li key={d.id}>
                  <span className="form-name">
                    <strong>{t(d.definition.name)}</strong>
                    <span className="muted">{t({ en: '{n} widgets', zh: '{n} 个组件' }, { n: d.definition.widgets.length })}</span>
                  </span>
                  <a className="btn btn-sm" href={href(`/dashboards/${d.id}`)} onClick={linkHandler(`/dashboards/${d.id}`)} aria-label={t({ en: 'Design {name}', zh: '设计{name}' }, { name: t(d.definition.name) })}>
                    {t({ en: 'Design dashboard', zh: '设计仪表盘' })}
                  </a>
                  <a className="btn btn-sm" href={`/app/dashboards/${encodeURIComponent(d.id)}`} aria-label={t({ en: 'Open {name} in runtime', zh: '在应用端打开{name}' }, { name: t(d.definition.name) })}>{t({ en: 'Open in runtime', zh: '在应用端打开' })}</a>
                </li>
              ))}
            </ul>
          )
        }
      </Async>
    </section>
  );
}
