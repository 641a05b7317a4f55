// Small pieces every screen of both apps uses: loading and error states, the sign-in form, the language switch.
import { useState, type FormEvent, type ReactNode } from 'react';
import { ApiError } from '../lib/api';
import { setLang, useLang, useT, type Msg } from '../lib/i18n';
import { signIn } from '../lib/session';

export function Loading({ label }: { label?: Msg }) {
  const t = useT();
  return (
    <div className="center" role="status" aria-live="polite">
      <div className="spinner" aria-hidden="true" />
      <span className="sr-only">{t(label ?? { en: 'Loading…', zh: '加载中…' })}</span>
    </div>
  );
}

/** an error as a user should read it: the server's message, or a network hint */
export function errorText(err: unknown, t: ReturnType<typeof useT>): string {
  if (err instanceof ApiError) {
    if (err.status === 0) return t({ en: 'No connection. Check the network and try again.', zh: '无法连接，请检查网络后重试。' });
    if (err.status === 403) return t({ en: 'You do not have permission to do this.', zh: '你没有权限执行此操作。' }) + ` (${err.message})`;
    if (err.status === 404) return t({ en: 'Not found.', zh: '未找到。' }) + ` (${err.message})`;
    return err.message;
  }
  return err instanceof Error ? err.message : String(err);
}

export function ErrorBox({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const t = useT();
  return (
    <div className="alert" role="alert">
      {errorText(error, t)}
      {onRetry && (
        <button type="button" className="btn btn-sm" style={{ marginLeft: 8 }} onClick={onRetry}>
          {t({ en: 'Retry', zh: '重试' })}
        </button>
      )}
    </div>
  );
}

export function LangSwitch() {
  const lang = useLang();
  return (
    <button
      type="button"
      className="btn btn-sm"
      aria-label={lang === 'zh' ? 'Switch to English' : '切换到中文'}
      onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
    >
      {lang === 'zh' ? 'EN' : '中文'}
    </button>
  );
}

export function SignInPage({ title }: { title: Msg }) {
  const t = useT();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(username.trim(), password);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <main className="signin">
      <form className="card stack" onSubmit={submit} style={{ maxWidth: 380, margin: '10vh auto', width: 'calc(100% - 32px)' }}>
        <div className="row">
          <h1 style={{ margin: 0 }}>{t(title)}</h1>
          <span className="spacer" />
          <LangSwitch />
        </div>
        <div className="field">
          <label htmlFor="signin-email">{t({ en: 'Email', zh: '邮箱' })}</label>
          <input id="signin-email" type="email" autoComplete="username" required value={username} onChange={(e) => setUsername(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="signin-password">{t({ en: 'Password', zh: '密码' })}</label>
          <input id="signin-password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </div>
        {error !== null && <ErrorBox error={error} />}
        <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
          {busy ? t({ en: 'Signing in…', zh: '登录中…' }) : t({ en: 'Sign in', zh: '登录' })}
        </button>
      </form>
    </main>
  );
}

/** renders children once the async loader resolved; loading and error states in between */
export function Async<T>({ state, children, onRetry }: { state: AsyncState<T>; children: (value: T) => ReactNode; onRetry?: () => void }) {
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorBox error={state.error} onRetry={onRetry} />;
  return <>{children(state.value)}</>;
}

export type AsyncState<T> = { status: 'loading' } | { status: 'error'; error: unknown } | { status: 'ok'; value: T };
