// What an approver does with an open task: a comment, then approve, reject, return, transfer or
// comment only. The caller runs the request; this part only collects the decision.
import { useState } from 'react';
import { useT } from '../../lib/i18n';
import type { UserItem } from '../../ui/types';
import { TransferPicker } from './TransferPicker';

export type Decision = { kind: 'approve' | 'reject' | 'return' | 'comment'; comment: string } | { kind: 'transfer'; comment: string; to: UserItem };

export function TaskActions({ busy, onDecide }: { busy: boolean; onDecide(d: Decision): void }) {
  const t = useT();
  const [comment, setComment] = useState('');
  const [transferring, setTransferring] = useState(false);
  const [needComment, setNeedComment] = useState(false);
  const text = comment.trim();
  return (
    <section className="card stack task-actions" aria-label={t({ en: 'Decision', zh: '审批意见' })}>
      <div className={`field${needComment ? ' has-error' : ''}`}>
        <label htmlFor="task-comment">{t({ en: 'Comment', zh: '意见' })}</label>
        <textarea
          id="task-comment"
          maxLength={2000}
          value={comment}
          onChange={(e) => {
            setComment(e.target.value);
            setNeedComment(false);
          }}
          placeholder={t({ en: 'Optional for a decision; needed for "Comment only"', zh: '审批时可选；“仅评论”时必填' })}
          aria-describedby={needComment ? 'task-comment-error' : undefined}
        />
        {needComment && (
          <div id="task-comment-error" className="error-text" role="alert">
            {t({ en: 'Write a comment first.', zh: '请先填写意见。' })}
          </div>
        )}
      </div>
      {transferring ? (
        <TransferPicker busy={busy} onCancel={() => setTransferring(false)} onPick={(to) => onDecide({ kind: 'transfer', comment: text, to })} />
      ) : (
        <div className="decision-buttons">
          <button type="button" className="btn btn-primary" disabled={busy} onClick={() => onDecide({ kind: 'approve', comment: text })}>
            {t({ en: 'Approve', zh: '同意' })}
          </button>
          <button type="button" className="btn btn-danger" disabled={busy} onClick={() => onDecide({ kind: 'reject', comment: text })}>
            {t({ en: 'Reject', zh: '拒绝' })}
          </button>
          <button type="button" className="btn" disabled={busy} onClick={() => onDecide({ kind: 'return', comment: text })}>
            {t({ en: 'Return', zh: '退回' })}
          </button>
          <button type="button" className="btn" disabled={busy} onClick={() => setTransferring(true)}>
            {t({ en: 'Transfer', zh: '转交' })}
          </button>
          <button
            type="button"
            className="btn btn-link"
            disabled={busy}
            onClick={() => {
              if (!text) setNeedComment(true);
              else {
                onDecide({ kind: 'comment', comment: text });
                setComment('');
              }
            }}
          >
            {t({ en: 'Comment only', zh: '仅评论' })}
          </button>
        </div>
      )}
    </section>
  );
}
