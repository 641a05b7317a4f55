// Home: my tasks and notifications with their badges, the apps I can open with their forms, sign-out.
import { get } from '../lib/api';
import { useT } from '../lib/i18n';
import { href, linkHandler } from '../lib/router';
import { signOut, useSession } from '../lib/session';
import { useAsync } from '../lib/use-async';
import { Async } from '../ui/common';
import { badgeText, useCounts } from '../ui/counts';
import { Icon } from '../ui/Icon';
import { forgetPeople } from '../ui/people';
import type { AppItem, FormItem } from '../ui/types';
import { FormLinks } from './home/FormLinks';

interface AppWithForms {
  app: AppItem;
  forms: FormItem[];
}

async function loadApps(signal: AbortSignal): Promise<AppWithForms[]> {
  const apps = await get<{ items: AppItem[] }>('/api/apps', { signal });
  return Promise.all(
    apps.items.map(async (app) => ({ app, forms: (await get<{ items: FormItem[] }>(`/api/apps/${app.id}/forms`, { signal })).items })),
  );
}

export default function HomePage() {
  const t = useT();
  const session = useSession();
  const counts = useCounts();
  const [apps, reload] = useAsync(loadApps, []);
  const name = session.status === 'signedIn' ? session.user.name : '';
  return (
    <div className="stack">
      <h1>{t({ en: 'Hello, {name}', zh: '你好，{name}' }, { name })}</h1>
      <ul className="list card-list" aria-label={t({ en: 'Work', zh: '工作' })}>
        <li>
          <a href={href('/tasks')} onClick={linkHandler('/tasks')}>
            <span className="grow">{t({ en: 'My tasks', zh: '我的待办' })}</span>
            {counts.tasks ? <span className="badge" aria-label={t({ en: '{n} open', zh: '{n} 项待办' }, { n: badgeText(counts.tasks) })}>{badgeText(counts.tasks)}</span> : null}
            <span className="chevron"><Icon name="next" size={18} /></span>
          </a>
        </li>
        <li>
          <a href={href('/notifications')} onClick={linkHandler('/notifications')}>
            <span className="grow">{t({ en: 'Notifications', zh: '通知' })}</span>
            {counts.unread ? <span className="badge" aria-label={t({ en: '{n} unread', zh: '{n} 条未读' }, { n: badgeText(counts.unread) })}>{badgeText(counts.unread)}</span> : null}
            <span className="chevron"><Icon name="next" size={18} /></span>
          </a>
        </li>
      </ul>

      <h2>{t({ en: 'Apps', zh: '应用' })}</h2>
      <Async state={apps} onRetry={reload}>
        {(items) =>
          items.length === 0 ? (
            session.status === 'signedIn' && session.user.admin ? (
              <p className="muted">
                {t({ en: 'There are no apps yet.', zh: '还没有应用。' })}{' '}
                <a href="/designer/">{t({ en: 'Build one in the designer', zh: '去设计器搭建一个' })}</a>
              </p>
            ) : (
              <p className="muted">{t({ en: 'No apps are open to you yet. Ask an administrator for access.', zh: '暂无可用的应用，请联系管理员开通权限。' })}</p>
            )
          ) : (
            <div className="stack">
              {items.map(({ app, forms }) => (
                <section key={app.id} className="card app-card" aria-label={t(app.name)}>
                  <h3>
                    <a href={href(`/apps/${app.id}`)} onClick={linkHandler(`/apps/${app.id}`)}>
                      {app.icon && <span aria-hidden="true">{app.icon} </span>}
                      {t(app.name)}
                    </a>
                  </h3>
                  {forms.length === 0 ? (
                    <p className="muted small">{t({ en: 'No forms yet.', zh: '暂无表单。' })}</p>
                  ) : (
                    <ul className="plain">{forms.map((f) => <FormLinks key={f.id} form={f} />)}</ul>
                  )}
                </section>
              ))}
            </div>
          )
        }
      </Async>

      <button
        type="button"
        className="btn btn-block"
        onClick={() => {
          forgetPeople();
          void signOut();
        }}
      >
        {t({ en: 'Sign out', zh: '退出登录' })}
      </button>
    </div>
  );
}
