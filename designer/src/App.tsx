// The designer's shell: sign-in, the top bar, and the routes. Each screen is its own chunk:
// the workflow canvas (@xyflow/react) and the form canvas (@dnd-kit) load only when opened.
import { lazy, Suspense } from 'react';
import { matchPath, navigate, useLocation, href, linkHandler } from '@trellis/app/lib/router';
import { useT } from '@trellis/app/lib/i18n';
import { signOut, useSession } from '@trellis/app/lib/session';
import { LangSwitch, Loading, SignInPage } from '@trellis/app/ui/common';
import './designer.css';

const AppList = lazy(() => import('./apps/AppList'));
const AppHome = lazy(() => import('./apps/AppHome'));
const AppSettings = lazy(() => import('./apps/AppSettings'));
const FormDesigner = lazy(() => import('./forms/FormDesigner'));
const WorkflowDesigner = lazy(() => import('./workflow/WorkflowDesigner'));
const MembersPage = lazy(() => import('./org/MembersPage'));
const DepartmentsPage = lazy(() => import('./org/DepartmentsPage'));
const RolesPage = lazy(() => import('./org/RolesPage'));
const DashboardDesigner = lazy(() => import('./dashboards/DashboardDesigner'));
const PrintTemplatesPage = lazy(() => import('./print/PrintTemplatesPage'));

const ROUTES: [string, (p: Record<string, string>) => React.ReactNode][] = [
  ['/', () => <AppList />],
  ['/apps/:appId', (p) => <AppHome appId={p.appId!} />],
  ['/apps/:appId/settings', (p) => <AppSettings appId={p.appId!} />],
  ['/forms/:formId', (p) => <FormDesigner formId={p.formId!} />],
  ['/forms/:formId/workflow', (p) => <WorkflowDesigner formId={p.formId!} />],
  ['/forms/:formId/print', (p) => <PrintTemplatesPage formId={p.formId!} />],
  ['/org/members', () => <MembersPage />],
  ['/org/departments', () => <DepartmentsPage />],
  ['/org/roles', () => <RolesPage />],
  ['/dashboards/:id', (p) => <DashboardDesigner key={p.id} id={p.id!} />],
];

function NavLink({ to, children }: { to: string; children: React.ReactNode }) {
  const loc = useLocation();
  const active = to === '/' ? loc === '/' || loc.startsWith('/apps') || loc.startsWith('/forms') || loc.startsWith('/dashboards') : loc.startsWith(to);
  return (
    <a href={href(to)} onClick={linkHandler(to)} aria-current={active ? 'page' : undefined} className="topnav-link">
      {children}
    </a>
  );
}

export function App() {
  const session = useSession();
  const loc = useLocation();
  const t = useT();
  if (session.status === 'loading') return <Loading />;
  if (session.status === 'signedOut') return <SignInPage title={{ en: 'Trellis designer', zh: 'Trellis 设计器' }} />;
  let page: React.ReactNode = null;
  for (const [pattern, render] of ROUTES) {
    const params = matchPath(pattern, loc);
    if (params) {
      page = render(params);
      break;
    }
  }
  return (
    <div className="designer">
      <header className="topbar">
        <a className="brand" href={href('/')} onClick={linkHandler('/')}>
          Trellis <span className="muted">{t({ en: 'Designer', zh: '设计器' })}</span>
        </a>
        <nav aria-label={t({ en: 'Main', zh: '主导航' })} className="row">
          <NavLink to="/">{t({ en: 'Apps', zh: '应用' })}</NavLink>
          {session.user.admin && <NavLink to="/org/members">{t({ en: 'Members', zh: '成员' })}</NavLink>}
          {session.user.admin && <NavLink to="/org/departments">{t({ en: 'Departments', zh: '部门' })}</NavLink>}
          <NavLink to="/org/roles">{t({ en: 'Roles', zh: '角色' })}</NavLink>
        </nav>
        <span className="spacer" />
        <a className="btn btn-sm" href="/app/">{t({ en: 'Open runtime', zh: '打开应用端' })}</a>
        <LangSwitch />
        <span className="muted">{session.user.name}</span>
        <button type="button" className="btn btn-sm" onClick={() => void signOut().then(() => navigate('/'))}>
          {t({ en: 'Sign out', zh: '退出' })}
        </button>
      </header>
      <main className="designer-main">
        <Suspense fallback={<Loading />}>{page ?? <p className="center">{t({ en: 'Page not found.', zh: '页面不存在。' })}</p>}</Suspense>
      </main>
    </div>
  );
}
