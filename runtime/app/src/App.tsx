// The runtime's shell: the public share page first (no sign-in), then the sign-in gate, then
// the signed-in screens. Home is in the first load; every other screen is its own chunk.
import { lazy, Suspense, type ReactNode } from 'react';
import { useT } from './lib/i18n';
import { prefetch } from './lib/prefetch';
import { matchPath, useLocation } from './lib/router';
import { useSession } from './lib/session';
import { ErrorBox, Loading, SignInPage } from './ui/common';
import { ChunkBoundary } from './ui/ChunkBoundary';
import { Shell } from './ui/Shell';
import HomePage from './pages/HomePage';
import './app.css';

const loadFillPage = () => import('./pages/FillPage');
const AppPage = lazy(() => import('./pages/AppPage'));
const FillPage = lazy(loadFillPage);
const RecordsPage = lazy(() => import('./pages/RecordsPage'));
const RecordPage = lazy(() => import('./pages/RecordPage'));
const TasksPage = lazy(() => import('./pages/TasksPage'));
const TaskPage = lazy(() => import('./pages/TaskPage'));
const NotificationsPage = lazy(() => import('./pages/NotificationsPage'));
const SharePage = lazy(() => import('./pages/SharePage'));
const ImportPage = lazy(() => import('./pages/import/ImportPage'));
const DashboardPage = lazy(() => import('./pages/dashboard/DashboardPage'));

/** opened on a form page: fetch its chunk and its form now, alongside the session check, not after it */
export function prefetchFirstScreen(path: string): void {
  const p = matchPath('/forms/:formId/new', path) ?? matchPath('/forms/:formId/records/:recordId/edit', path);
  if (!p) return;
  void loadFillPage().catch(() => undefined);
  prefetch(`/api/forms/${encodeURIComponent(p.formId!)}`);
}

function NotFound() {
  const t = useT();
  return <ErrorBox error={new Error(t({ en: 'There is no such page.', zh: '没有这个页面。' }))} />;
}

/** the screen for a path below /app, keyed so a new record or task starts fresh */
function screen(path: string): ReactNode {
  let p: Record<string, string> | null;
  if (matchPath('/', path)) return <HomePage />;
  if ((p = matchPath('/apps/:appId', path))) return <AppPage key={p.appId} appId={p.appId!} />;
  if ((p = matchPath('/forms/:formId/new', path))) return <FillPage key={`new:${p.formId}`} formId={p.formId!} />;
  if ((p = matchPath('/forms/:formId/records/:recordId/edit', path))) return <FillPage key={`edit:${p.recordId}`} formId={p.formId!} recordId={p.recordId!} />;
  if ((p = matchPath('/forms/:formId/records', path))) return <RecordsPage key={p.formId} formId={p.formId!} />;
  if ((p = matchPath('/forms/:formId/import', path))) return <ImportPage key={p.formId} formId={p.formId!} />;
  if ((p = matchPath('/records/:formId/:recordId', path))) return <RecordPage key={p.recordId} formId={p.formId!} recordId={p.recordId!} />;
  if (matchPath('/tasks', path)) return <TasksPage />;
  if ((p = matchPath('/tasks/:taskId', path))) return <TaskPage key={p.taskId} taskId={p.taskId!} />;
  if (matchPath('/notifications', path)) return <NotificationsPage />;
  if ((p = matchPath('/dashboards/:id', path))) return <DashboardPage key={p.id} id={p.id!} />;
  return <NotFound />;
}

export function App() {
  const path = useLocation();
  const session = useSession();
  const share = matchPath('/share/:token', path);
  if (share) {
    return (
      <ChunkBoundary resetKey={path}>
        <Suspense fallback={<Loading />}>
          <SharePage key={share.token} token={share.token!} />
        </Suspense>
      </ChunkBoundary>
    );
  }
  if (session.status === 'loading') return <Loading />;
  if (session.status === 'signedOut') return <SignInPage title={{ en: 'Trellis', zh: 'Trellis' }} />;
  return (
    <Shell path={path}>
      <ChunkBoundary resetKey={path}>
        <Suspense fallback={<Loading />}>{screen(path)}</Suspense>
      </ChunkBoundary>
    </Shell>
  );
}
