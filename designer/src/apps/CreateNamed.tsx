// "New app" and "New form": a name in English and/or Chinese, then create and go there.
import { useState, type FormEvent } from 'react';
import type { Label } from '@trellis/core';
import { useT, type Msg } from '@trellis/app/lib/i18n';
import { ErrorBox } from '@trellis/app/ui/common';

export interface CreateNamedProps {
  /** element id prefix (labels point at their inputs) */
  id: string;
  title: Msg;
  /** "App name" / "Form name": shown as "… (English)" and "… (Chinese)" */
  noun: Msg;
  missing: Msg;
  submit: Msg;
  /** creates the thing and navigates to it; a thrown error is shown */
  create(name: Label): Promise<void>;
}

export function CreateNamed(p: CreateNamedProps) {
  const t = useT();
  const [en, setEn] = useState('');
  const [zh, setZh] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!en.trim() && !zh.trim()) {
      setError(new Error(t(p.missing)));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await p.create({ ...(en.trim() ? { en: en.trim() } : {}), ...(zh.trim() ? { zh: zh.trim() } : {}) });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }
  return (
    <form className="card stack" onSubmit={submit} aria-labelledby={`${p.id}-title`}>
      <h2 id={`${p.id}-title`}>{t(p.title)}</h2>
      <div className="row new-app-row">
        <div className="field">
          <label htmlFor={`${p.id}-en`}>{t({ en: `${p.noun.en} (English)`, zh: `${p.noun.zh}（英文）` })}</label>
          <input id={`${p.id}-en`} value={en} maxLength={200} onChange={(e) => setEn(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${p.id}-zh`}>{t({ en: `${p.noun.en} (Chinese)`, zh: `${p.noun.zh}（中文）` })}</label>
          <input id={`${p.id}-zh`} value={zh} maxLength={200} onChange={(e) => setZh(e.target.value)} />
        </div>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? t({ en: 'Creating…', zh: '创建中…' }) : t(p.submit)}
        </button>
      </div>
      {error !== null && <ErrorBox error={error} />}
    </form>
  );
}
