// The signed-in frame: a top bar with the language switch, the screen, and the tab bar
// (at the bottom on phones, under the top bar on wide screens), with badges for open tasks and unread notifications.
import { useEffect, type ReactNode } from 'react';
import { useT, type Msg } from '../lib/i18n';
import { href, linkHandler } from '../lib/router';
import { badgeText, refreshCounts, useCounts } from './counts';
import { LangSwitch } from './common';
import { Icon, type IconName } from './Icon';

interface Tab {
  to: string;
  label: Msg;
  icon: IconName;
  count?: number | null;
  countLabel?: Msg;
}

function activeTab(path: string): string {
  const p = path.split('?')[0] ?? '/';
  if (p.startsWith('/tasks')) return '/tasks';
  if (p.startsWith('/notifications')) return '/notifications';
  return '/';
}

export function Shell({ path, children }: { path: string; children: ReactNode }) {
  const t = useT();
  const counts = useCounts();
  const tabs: Tab[] = [
    { to: '/', label: { en: 'Home', zh: '首页' }, icon: 'home' },
    { to: '/tasks', label: { en: 'Tasks', zh: '待办' }, icon: 'tasks', count: counts.tasks, countLabel: { en: '{n} open', zh: '{n} 项待办' } },
    { to: '/notifications', label: { en: 'Notifications', zh: '通知' }, icon: 'bell', count: counts.unread, countLabel: { en: '{n} unread', zh: '{n} 条未读' } },
  ];
  const active = activeTab(path);
  // a screen may have changed what the badges count (a task done, a notification read)
  useEffect(() => {
    void refreshCounts();
  }, [active]);
  return (
    <div className="shell">
      <header className="topbar">
        <a className="brand" href={href('/')} onClick={linkHandler('/')}>Trellis</a>
        <nav className="tabbar" aria-label={t({ en: 'Main', zh: '主导航' })}>
          {tabs.map((tab) => (
            <a key={tab.to} href={href(tab.to)} onClick={linkHandler(tab.to)} aria-current={active === tab.to ? 'page' : undefined}>
              <span className="tab-icon"><Icon name={tab.icon} /></span>
              <span className="tab-label">{t(tab.label)}</span>
              {tab.count ? (
                <span className="badge" aria-label={t(tab.countLabel, { n: badgeText(tab.count) })}>{badgeText(tab.count)}</span>
              ) : null}
            </a>
          ))}
        </nav>
        <span className="spacer" />
        <LangSwitch />
      </header>
      <main className="page">{children}</main>
    </div>
  );
}
