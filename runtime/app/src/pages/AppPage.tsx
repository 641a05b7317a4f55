// One app: its forms, each with "New" and "Records".
import { get } from '../lib/api';
import { useT } from '../lib/i18n';
import { useAsync } from '../lib/use-async';
import { Async } from '../ui/common';
import { PageHeader } from '../ui/PageHeader';
import type { AppItem, FormItem } from '../ui/types';
import { FormLinks } from './home/FormLinks';
import { DashboardLinks } from './dashboard/DashboardLinks';

export default function AppPage({ appId }: { appId: string }) {
  const t = useT();
  const [state, reload] = useAsync(
    async (signal) => {
      const [app, forms] = await Promise.all([
        get<AppItem>(`/api/apps/${appId}`, { signal }),
        get<{ items: FormItem[] }>(`/api/apps/${appId}/forms`, { signal }),
      ]);
      return { app, forms: forms.items };
    },
    [appId],
  );
  return (
    <Async state={state} onRetry={reload}>
      {({ app, forms }) => (
        <div className="stack">
          <PageHeader back="/" title={t(app.name)} />
          {app.description && <p className="muted">{t(app.description)}</p>}
          {forms.length === 0 ? (
            <p className="muted">{t({ en: 'This app has no forms open to you.', zh: '此应用中没有你可用的表单。' })}</p>
          ) : (
            <ul className="plain card">{forms.map((f) => <FormLinks key={f.id} form={f} />)}</ul>
          )}
          <DashboardLinks appId={appId} />
        </div>
      )}
    </Async>
  );
}
