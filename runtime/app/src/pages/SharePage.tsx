// A public share link, no sign-in: a form to submit (with a thank-you after), or one record to read.
// A link with a password asks for it first; the password goes with every request in a header.
import { useState, type FormEvent } from 'react';
import type { FieldError, FormDefinition, RecordData } from '@trellis/core';
import { ApiError, get, post } from '../lib/api';
import { useT } from '../lib/i18n';
import { useAsync } from '../lib/use-async';
import { FormView } from '../form/FormView';
import { ErrorBox, LangSwitch, Loading } from '../ui/common';
import type { RecordItem } from '../ui/types';

interface ShareReply {
  kind: 'submit' | 'record';
  expiresAt: string | null;
  form: { id: string; version: number; definition: FormDefinition };
  record?: RecordItem;
}

const needsPassword = (e: unknown) => e instanceof ApiError && e.status === 401 && (e.details as { passwordRequired?: boolean } | undefined)?.passwordRequired === true;

function PasswordForm({ wrong, onSubmit }: { wrong: boolean; onSubmit(pw: string): void }) {
  const t = useT();
  const [pw, setPw] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit(pw);
  };
  return (
    <form className="card stack" onSubmit={submit}>
      <p>{t({ en: 'This link is protected by a password.', zh: '此链接需要密码。' })}</p>
      <div className={`field${wrong ? ' has-error' : ''}`}>
        <label htmlFor="share-password">{t({ en: 'Link password', zh: '链接密码' })}</label>
        <input id="share-password" type="password" autoComplete="off" required value={pw} onChange={(e) => setPw(e.target.value)} />
        {wrong && <div className="error-text" role="alert">{t({ en: 'Wrong password.', zh: '密码错误。' })}</div>}
      </div>
      <button type="submit" className="btn btn-primary btn-block">{t({ en: 'Open', zh: '打开' })}</button>
    </form>
  );
}

function SubmitForm({ token, password, def, formId }: { token: string; password: string | undefined; def: FormDefinition; formId: string }) {
  const t = useT();
  const [value, setValue] = useState<RecordData>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [serverErrors, setServerErrors] = useState<FieldError[]>([]);
  const [sent, setSent] = useState(false);
  async function submit(data: RecordData) {
    setBusy(true);
    setError(null);
    try {
      await post(`/api/share/${token}/records`, { data }, { token: null, headers: password === undefined ? {} : { 'x-share-password': password } });
      setSent(true);
      setValue({});
      setServerErrors([]);
    } catch (e) {
      if (e instanceof ApiError && e.status === 422) setServerErrors(e.fieldErrors);
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  if (sent) {
    return (
      <div className="card stack thanks" role="status">
        <h2>{t({ en: 'Thank you!', zh: '感谢提交！' })}</h2>
        <p>{t({ en: 'Your response was received.', zh: '你的内容已收到。' })}</p>
        <button type="button" className="btn" onClick={() => setSent(false)}>{t({ en: 'Submit another', zh: '再填一份' })}</button>
      </div>
    );
  }
  return (
    <div className="card stack form-card">
      {error !== null && <ErrorBox error={error} />}
      <FormView
        definition={def}
        formId={formId}
        value={value}
        onChange={setValue}
        mode="fill"
        action="create"
        shareToken={token}
        serverErrors={serverErrors}
        onSubmit={(data) => void submit(data)}
        submitLabel={t({ en: 'Submit', zh: '提交' })}
        busy={busy}
      />
    </div>
  );
}

export default function SharePage({ token }: { token: string }) {
  const t = useT();
  const [password, setPassword] = useState<string | undefined>(undefined);
  const [state, reload] = useAsync(
    (signal) => get<ShareReply>(`/api/share/${token}`, { signal, token: null, headers: password === undefined ? {} : { 'x-share-password': password } }),
    [token, password],
  );
  let body;
  if (state.status === 'loading') body = <Loading />;
  else if (state.status === 'error') {
    const e = state.error;
    if (needsPassword(e)) body = <PasswordForm wrong={password !== undefined} onSubmit={(pw) => (pw === password ? reload() : setPassword(pw))} />;
    else if (e instanceof ApiError && e.status === 404) body = <div className="alert" role="alert">{t({ en: 'This link is not valid or has expired.', zh: '此链接无效或已过期。' })}</div>;
    else body = <ErrorBox error={e} onRetry={reload} />;
  } else {
    const share = state.value;
    const def = share.form.definition;
    body = (
      <>
        <h1>{t(def.name)}</h1>
        {def.description && <p className="muted">{t(def.description)}</p>}
        {share.kind === 'submit' ? (
          <SubmitForm token={token} password={password} def={def} formId={share.form.id} />
        ) : (
          <div className="card form-card">
            <FormView definition={def} formId={share.form.id} value={share.record?.data ?? {}} onChange={() => undefined} mode="view" shareToken={token} />
          </div>
        )}
      </>
    );
  }
  return (
    <div className="shell share">
      <header className="topbar">
        <span className="brand">Trellis</span>
        <span className="spacer" />
        <LangSwitch />
      </header>
      <main className="page stack">{body}</main>
    </div>
  );
}
