// The dashboards of an app, listed on its page (only those the person may open come back).
import type { Label } from '@trellis/core';
import { get } from '../../lib/api';
import { useT } from '../../lib/i18n';
import { href, linkHandler } from '../../lib/router';
import { useAsync } from '../../lib/use-async';

export function DashboardLinks({ appId }: { appId: string }) {
  const t = useT();
  const [state] = useAsync(
    (signal) => get<{ items: { id: string; definition: { name: Label } }[] }>(`/api/apps/${encodeURIComponent(appId)}/dashboards`, { signal }),
    [appId],
  );
  // a list that fails to load leaves the forms usable: say so quietly
  if (state.status === 'error') return <p className="muted small">{t({ en: 'The dashboards could not be loaded.', zh: '无法加载仪表盘。' })}</p>;
  if (state.status !== 'ok' || state.value.items.length === 0) return null;
  return (
    <section className="stack" aria-labelledby="app-dashboards">
      <h2 id="app-dashboards">{t({ en: 'Dashboards', zh: '仪表盘' })}</h2>
      <ul className="plain card" aria-label={t({ en: 'Dashboards', zh: '仪表盘' })}>
        {state.value.items.map((d) => {
          const to = `/dashboards/${d.id}`;
          return (
            <li key={d.id} className="form-row">
              <a className="form-name" href={href(to)} onClick={linkHandler(to)}>{t(d.definition.name)}</a>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
