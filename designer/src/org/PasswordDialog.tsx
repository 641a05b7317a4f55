// Reset a member's password: setting it ends their sessions at once.
import { useState, type FormEvent } from 'react';
import { patch } from '@trellis/app/lib/api';
import { useT } from '@trellis/app/lib/i18n';
import { ErrorBox } from '@trellis/app/ui/common';
import type { Member } from './org-data';
import { Modal, useAction } from './ui';

export function PasswordDialog({ member, onClose, onSaved }: { member: Member; onClose: () => void; onSaved: () => void }) {
  const t = useT();
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const action = useAction();
  async function submit(e: FormEvent) {
    e.preventDefault();
    setProblem(null);
    if (password.length < 8) return setProblem(t({ en: 'The password needs at least 8 characters.', zh: '密码至少需要 8 个字符。' }));
    if (password !== again) return setProblem(t({ en: 'The two passwords differ.', zh: '两次输入的密码不一致。' }));
    await action.run(async () => {
      await patch(`/api/users/${member.id}`, { password, version: member.version });
      onSaved();
    });
  }
  return (
    <Modal title={t({ en: 'Reset password of {name}', zh: '重置 {name} 的密码' }, { name: member.name })} onClose={onClose}>
      <form onSubmit={submit}>
        <div className="field">
          <label htmlFor="reset-password">{t({ en: 'New password', zh: '新密码' })}</label>
          <input id="reset-password" type="password" autoComplete="new-password" maxLength={200} value={password} onChange={(e) => setPassword(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="reset-password-again">{t({ en: 'Repeat the new password', zh: '再次输入新密码' })}</label>
          <input id="reset-password-again" type="password" autoComplete="new-password" maxLength={200} value={again} onChange={(e) => setAgain(e.target.value)} />
          <div className="help">{t({ en: 'The member is signed out everywhere and signs in with the new password.', zh: '该成员将在所有设备退出登录，需用新密码重新登录。' })}</div>
        </div>
        {problem && <p className="alert" role="alert">{problem}</p>}
        {action.error !== null && <ErrorBox error={action.error} />}
        <div className="row">
          <span className="spacer" />
          <button type="button" className="btn" onClick={onClose}>{t({ en: 'Cancel', zh: '取消' })}</button>
          <button type="submit" className="btn btn-primary" disabled={action.busy}>{t({ en: 'Set password', zh: '设置密码' })}</button>
        </div>
      </form>
    </Modal>
  );
}
