// Filling a form: a new record (/forms/:formId/new) or an edit (/forms/:formId/records/:recordId/edit).
// The draft is kept on the device on every change and restored on the next visit; server errors
// land on their fields; success offers to submit another or to view the record.
import { useRef, useState } from 'react';
import { labelText, type FieldError, type FormDefinition, type RecordData } from '@trellis/core';
import { ApiError, get, patch, post } from '../lib/api';
import { useLang, useT } from '../lib/i18n';
import { href, linkHandler } from '../lib/router';
import { takePrefetched } from '../lib/prefetch';
import { useAsync } from '../lib/use-async';
import { FormView } from '../form/FormView';
import { Async, ErrorBox, errorText } from '../ui/common';
import { PageHeader } from '../ui/PageHeader';
import type { FormItem, RecordItem } from '../ui/types';
import { useSession } from '../lib/session';
import { clearDraft, draftKey, readDraft, writeDraft } from './fill/draft';
import { editPatch, fieldErrorsOf } from './fill/submit-errors';
import './FillPage.css';

interface Loaded {
  form: FormItem;
  definition: FormDefinition | null;
  record: RecordItem | null;
}

async function load(formId: string, recordId: string | undefined, signal: AbortSignal): Promise<Loaded> {
  const [form, record] = await Promise.all([
    takePrefetched<FormItem>(`/api/forms/${encodeURIComponent(formId)}`, signal),
    recordId ? get<RecordItem>(`/api/forms/${encodeURIComponent(formId)}/records/${encodeURIComponent(recordId)}`, { signal }) : Promise.resolve(null),
  ]);
  return { form, definition: form.published?.definition ?? null, record };
}

export default function FillPage({ formId, recordId }: { formId: string; recordId?: string }) {
  const [state, reload] = useAsync((signal) => load(formId, recordId, signal), [formId, recordId]);
  return (
    <Async state={state} onRetry={reload}>
      {(loaded) => <Filling formId={formId} recordId={recordId} loaded={loaded} />}
    </Async>
  );
}

type Outcome = { kind: 'done'; recordId: string } | null;

function Filling({ formId, recordId, loaded }: { formId: string; recordId?: string; loaded: Loaded }) {
  const t = useT();
  const lang = useLang();
  const { form, definition, record } = loaded;
  const session = useSession();
  const key = draftKey(session.status === 'signedIn' ? session.user.id : 'anonymous', formId, recordId);
  const locked = useRef(new Set(form.permissions?.readOnly ?? [])).current;
  const initial = (): RecordData => (record ? { ...record.data } : {});
  const restored = useRef(readDraft(key));
  const [value, setValue] = useState<RecordData>(() => restored.current?.value ?? initial());
  const [draftNote, setDraftNote] = useState(restored.current !== null);
  const [draftFailed, setDraftFailed] = useState(false);
  const [serverErrors, setServerErrors] = useState<FieldError[]>([]);
  const [submitError, setSubmitError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [generation, setGeneration] = useState(0);
  const interacted = useRef(false);
  const lastSent = useRef<RecordData | null>(null);

  const title = definition ? labelText(definition.name, lang) : t({ en: 'Form', zh: '表单' });
  const back = record ? `/records/${formId}/${record.id}` : `/apps/${form.appId}`;
  const header = <PageHeader title={title} back={back} />;

  if (!definition) {
    return <>{header}<ErrorBox error={new Error(t({ en: 'This form is not published yet.', zh: '此表单尚未发布。' }))} /></>;
  }
  const actions = form.permissions?.actions ?? [];
  if (!actions.includes(record ? 'edit' : 'submit')) {
    return <>{header}<ErrorBox error={new Error(record ? t({ en: 'You may not edit this record.', zh: '你不能编辑此记录。' }) : t({ en: 'You may not submit this form.', zh: '你不能提交此表单。' }))} /></>;
  }

  function change(next: RecordData) {
    setValue(next);
    setSubmitError(null);
    // the defaults a new form starts with are not a draft; anything the user does is
    if (!interacted.current) return;
    setDraftFailed(!writeDraft(key, { value: next, savedAt: new Date().toISOString(), ...(record ? { version: record.version } : {}) }));
  }

  function discardDraft() {
    clearDraft(key);
    restored.current = null;
    interacted.current = false;
    setDraftNote(false);
    setServerErrors([]);
    setValue(initial());
    setGeneration((g) => g + 1);
  }

  async function submit(data: RecordData) {
    lastSent.current = data;
    setBusy(true);
    setSubmitError(null);
    try {
      const saved = record
        ? await patch<RecordItem>(`/api/forms/${encodeURIComponent(formId)}/records/${encodeURIComponent(record.id)}`, { data: editPatch(definition!, record.data, data, locked), version: record.version })
        : await post<RecordItem>(`/api/forms/${encodeURIComponent(formId)}/records`, { data });
      clearDraft(key);
      setDraftNote(false);
      setServerErrors([]);
      setOutcome({ kind: 'done', recordId: saved.id });
      window.scrollTo(0, 0);
    } catch (err) {
      const fields = fieldErrorsOf(err);
      setServerErrors(fields);
      setSubmitError(err);
    } finally {
      setBusy(false);
    }
  }

  function another() {
    interacted.current = false;
    restored.current = null;
    setValue({});
    setServerErrors([]);
    setOutcome(null);
    setGeneration((g) => g + 1);
    window.scrollTo(0, 0);
  }

  if (outcome) {
    return (
      <>
        {header}
        <div className="card stack fill-done" role="status">
          <h2>{record ? t({ en: 'Changes saved', zh: '修改已保存' }) : t({ en: 'Submitted', zh: '已提交' })}</h2>
          <p className="muted">{t({ en: 'Your entries were received.', zh: '你的填写已收到。' })}</p>
          <div className="row">
            <a className="btn btn-primary" href={href(`/records/${formId}/${outcome.recordId}`)} onClick={linkHandler(`/records/${formId}/${outcome.recordId}`)}>
              {t({ en: 'View record', zh: '查看记录' })}
            </a>
            {!record && (
              <button type="button" className="btn" onClick={another}>{t({ en: 'Submit another', zh: '再填一份' })}</button>
            )}
          </div>
        </div>
      </>
    );
  }

  const network = submitError instanceof ApiError && submitError.status === 0;
  const conflict = submitError instanceof ApiError && submitError.code === 'VERSION_CONFLICT';
  return (
    <>
      {header}
      {draftNote && (
        <div className="alert alert-info fill-draft" role="status">
          <span>
            {t({ en: 'Draft restored', zh: '已恢复草稿' })}
            {restored.current && <span className="muted"> · {new Date(restored.current.savedAt).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US')}</span>}
          </span>
          <button type="button" className="btn btn-sm" onClick={discardDraft}>{t({ en: 'Discard draft', zh: '丢弃草稿' })}</button>
        </div>
      )}
      {draftFailed && <div className="alert" role="status">{t({ en: 'This browser does not keep drafts; submit before leaving.', zh: '此浏览器无法保存草稿，请在离开前提交。' })}</div>}
      <div
        className="card fill-card"
        onInputCapture={() => (interacted.current = true)}
        onChangeCapture={() => (interacted.current = true)}
        onClickCapture={() => (interacted.current = true)}
        onPointerDownCapture={() => (interacted.current = true)}
      >
        <FormView
          key={generation}
          definition={definition}
          formId={formId}
          recordId={record?.id}
          value={value}
          onChange={change}
          mode="fill"
          action={record ? 'update' : 'create'}
          previous={record?.data}
          locked={locked}
          serverErrors={serverErrors}
          onSubmit={(data) => void submit(data)}
          submitLabel={record ? t({ en: 'Save changes', zh: '保存修改' }) : t({ en: 'Submit', zh: '提交' })}
          busy={busy}
        />
        {submitError !== null && (
          <div className="alert fill-error" role="alert">
            {network
              ? t({ en: 'No connection. Your entries are kept on this device; try again when you are back online.', zh: '网络连接失败。你的填写已保存在本设备上，恢复网络后请重试。' })
              : conflict
                ? t({ en: 'Someone else changed this record meanwhile. Your entries are kept as a draft; reload to see the latest version.', zh: '此记录已被他人修改。你的填写已保存为草稿，请刷新查看最新版本。' })
                : serverErrors.length > 0
                  ? t({ en: 'Please correct the highlighted fields.', zh: '请修改标出的字段。' })
                  : errorText(submitError, t)}
            {network && lastSent.current && (
              <button type="button" className="btn btn-sm fill-retry" disabled={busy} onClick={() => void submit(lastSent.current!)}>
                {t({ en: 'Try again', zh: '重试' })}
              </button>
            )}
            {conflict && (
              <button type="button" className="btn btn-sm fill-retry" onClick={() => location.reload()}>
                {t({ en: 'Reload', zh: '刷新' })}
              </button>
            )}
          </div>
        )}
      </div>
    </>
  );
}
