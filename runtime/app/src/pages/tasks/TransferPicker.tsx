// Pick the colleague a task goes to: a searchable list of active members (GET /api/users).
import { useMemo, useState } from 'react';
import { get } from '../../lib/api';
import { useT } from '../../lib/i18n';
import { useSession } from '../../lib/session';
import { useAsync } from '../../lib/use-async';
import { Async } from '../../ui/common';
import type { UserItem } from '../../ui/types';

export function TransferPicker({ busy, onPick, onCancel }: { busy: boolean; onPick(user: UserItem): void; onCancel(): void }) {
  const t = useT();
  const session = useSession();
  const me = session.status === 'signedIn' ? session.user.id : '';
  const [users, reload] = useAsync((signal) => get<{ items: UserItem[] }>('/api/users', { signal }).then((r) => r.items), []);
  const [query, setQuery] = useState('');
  const [picked, setPicked] = useState<UserItem | null>(null);
  const match = useMemo(() => {
    const q = query.trim().toLowerCase();
    return (list: UserItem[]) =>
      list.filter((u) => u.id !== me && u.status === 'active' && (!q || u.name.toLowerCase().includes(q) || u.email.toLowerCase().includes(q))).slice(0, 50);
  }, [query, me]);
  return (
    <section className="panel stack" aria-label={t({ en: 'Transfer', zh: '转交' })}>
      <div className="field">
        <label htmlFor="transfer-search">{t({ en: 'Search members', zh: '搜索成员' })}</label>
        <input id="transfer-search" type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder={t({ en: 'Name or email', zh: '姓名或邮箱' })} />
      </div>
      <Async state={users} onRetry={reload}>
        {(list) => {
          const shown = match(list);
          return shown.length === 0 ? (
            <p className="muted">{t({ en: 'Nobody matches.', zh: '没有匹配的成员。' })}</p>
          ) : (
            <ul className="list people-list" aria-label={t({ en: 'Members', zh: '成员' })}>
              {shown.map((u) => (
                <li key={u.id}>
                  <button type="button" className="list-item" aria-pressed={picked?.id === u.id} onClick={() => setPicked(u)}>
                    <span className="grow">
                      {u.name}
                      <span className="muted small"> {u.email}</span>
                    </span>
                    {picked?.id === u.id && <span aria-hidden="true">✓</span>}
                  </button>
                </li>
              ))}
            </ul>
          );
        }}
      </Async>
      <div className="row">
        <button type="button" className="btn btn-primary" disabled={!picked || busy} onClick={() => picked && onPick(picked)}>
          {picked ? t({ en: 'Transfer to {name}', zh: '转交给 {name}' }, { name: picked.name }) : t({ en: 'Pick a member', zh: '请选择成员' })}
        </button>
        <button type="button" className="btn btn-link" onClick={onCancel}>
          {t({ en: 'Cancel', zh: '取消' })}
        </button>
      </div>
    </section>
  );
}
