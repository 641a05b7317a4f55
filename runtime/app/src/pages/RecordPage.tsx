// One record: its values (FormView, read-only), where its workflow stands, its timeline, and
// what I may do: edit, withdraw while nobody decided yet, resubmit when it was returned.
import { useState } from 'react';
import { get, getOrNull, post } from '../lib/api';
import { useT } from '../lib/i18n';
import { href, linkHandler } from '../lib/router';
import { useSession } from '../lib/session';
import { useAsync } from '../lib/use-async';
import { FormView } from '../form/FormView';
import { Async, ErrorBox } from '../ui/common';
import { refreshCounts } from '../ui/counts';
import { PageHeader } from '../ui/PageHeader';
import { StatusTag } from '../ui/StatusTag';
import { Timeline } from '../ui/Timeline';
import type { FormItem, InstanceReply, RecordItem, TimelineReply } from '../ui/types';
import { WorkflowCard } from './record/WorkflowCard';
import { PrintButton } from './record/PrintButton';
import { recordTitle } from './records/RecordRow';

async function loadRecord(formId: string, recordId: string, signal: AbortSignal) {
  const [form, record, timeline, instance] = await Promise.all([
    get<FormItem>(`/api/forms/${formId}`, { signal }),
    get<RecordItem>(`/api/forms/${formId}/records/${recordId}`, { signal }),
    get<TimelineReply>(`/api/records/${recordId}/timeline`, { signal }),
    // a record of a form without a workflow has none
    getOrNull<InstanceReply>(`/api/records/${recordId}/workflow`, { signal }),
  ]);
  return { form, record, timeline, instance };
}

const noop = () => undefined;

export default function RecordPage({ formId, recordId }: { formId: string; recordId: string }) {
  const t = useT();
  const session = useSession();
  const me = session.status === 'signedIn' ? session.user.id : '';
  const [state, reload] = useAsync((signal) => loadRecord(formId, recordId, signal), [formId, recordId]);
  const [busy, setBusy] = useState(false);
  const [confirmWithdraw, setConfirmWithdraw] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);

  async function act(kind: 'withdraw' | 'resubmit') {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      await post(`/api/records/${recordId}/workflow/${kind}`);
      setDone(kind === 'withdraw' ? t({ en: 'Withdrawn.', zh: '已撤回。' }) : t({ en: 'Submitted again.', zh: '已重新提交。' }));
      setConfirmWithdraw(false);
      void refreshCounts();
      reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Async state={state} onRetry={reload}>
      {({ form, record, timeline, instance }) => {
        const def = form.published?.definition ?? null;
        const editTo = `/forms/${formId}/records/${recordId}/edit`;
        const mine = instance?.submitter === me;
        const canEdit = form.permissions?.actions.includes('edit') ?? false;
        const canWithdraw = mine && instance?.status === 'running';
        const canResubmit = mine && instance?.status === 'returned';
        return (
          <div className="stack">
            <PageHeader back={`/forms/${formId}/records`} title={def ? recordTitle(def, record, t({ en: 'Record', zh: '记录' })) : record.id} actions={instance ? undefined : <StatusTag status={record.status} />} />
            {done && <div className="alert alert-success" role="status">{done}</div>}
            {error !== null && <ErrorBox error={error} />}
            {instance && <WorkflowCard instance={instance} />}
            {(canEdit || canWithdraw || canResubmit) && (
              <div className="row actions-row">
                {canEdit && (
                  <a className="btn" href={href(editTo)} onClick={linkHandler(editTo)}>
                    {t({ en: 'Edit', zh: '编辑' })}
                  </a>
                )}
                {canResubmit && (
                  <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void act('resubmit')}>
                    {t({ en: 'Resubmit', zh: '重新提交' })}
                  </button>
                )}
                {canWithdraw && !confirmWithdraw && (
                  <button type="button" className="btn" disabled={busy} onClick={() => setConfirmWithdraw(true)}>
                    {t({ en: 'Withdraw', zh: '撤回' })}
                  </button>
                )}
              </div>
            )}
            {confirmWithdraw && (
              <div className="alert alert-info stack" role="alertdialog" aria-label={t({ en: 'Withdraw this request?', zh: '撤回此申请？' })}>
                <p>{t({ en: 'Withdraw this request? The approvers will no longer see it.', zh: '撤回此申请？审批人将不再看到它。' })}</p>
                <div className="row">
                  <button type="button" className="btn btn-danger" disabled={busy} onClick={() => void act('withdraw')}>
                    {t({ en: 'Yes, withdraw', zh: '确认撤回' })}
                  </button>
                  <button type="button" className="btn" onClick={() => setConfirmWithdraw(false)}>
                    {t({ en: 'Cancel', zh: '取消' })}
                  </button>
                </div>
              </div>
            )}
            {def && <PrintButton formId={formId} recordId={recordId} />}
            <section className="card form-card" aria-label={t({ en: 'Details', zh: '详情' })}>
              {def ? (
                <FormView definition={def} formId={formId} recordId={recordId} value={record.data} onChange={noop} mode="view" />
              ) : (
                <p className="muted">{t({ en: 'This form is not published.', zh: '此表单未发布。' })}</p>
              )}
            </section>
            <section className="stack">
              <h2>{t({ en: 'Timeline', zh: '动态' })}</h2>
              <Timeline def={def} history={timeline.items} steps={timeline.workflow} />
            </section>
          </div>
        );
      }}
    </Async>
  );
}
