// App settings → Template: which pack and version the app was installed from (GET /api/apps/:id/pack)
// and, when the bundled pack is newer, its upgrade: a preview of what changes and what conflicts
// with the app's own edits, a choice per conflict, then the upgrade itself. Apps not from a pack
// (404) show nothing.
import { useState } from 'react';
import type { MergeConflict, PackChange, Resolution } from '@trellis/core';
import { getOrNull, post } from '@trellis/app/lib/api';
import { useT, type Msg } from '@trellis/app/lib/i18n';
import { useAsync } from '@trellis/app/lib/use-async';
import { Async, ErrorBox } from '@trellis/app/ui/common';
import { allResolved, shortValue } from './pack-upgrade';
import './template-center.css';

interface PackOrigin {
  packId: string;
  name: Msg;
  version: string;
  available: string | null;
}

interface UpgradePreview {
  packId: string;
  from: string;
  to: string;
  applied: boolean;
  changes: (PackChange & { where: Msg })[];
  conflicts: (MergeConflict & { where: Msg })[];
  kept: string[];
  migrations: { id: string; form: string; records: number; description?: Msg }[];
}

const OPS: Record<PackChange['op'], Msg> = {
  add: { en: 'Added', zh: '新增' },
  remove: { en: 'Removed', zh: '移除' },
  change: { en: 'Changed', zh: '修改' },
};

export function PackUpgrade({ appId, onUpgraded }: { appId: string; onUpgraded: () => void }) {
  const [origin, reload] = useAsync((signal) => getOrNull<PackOrigin>(`/api/apps/${encodeURIComponent(appId)}/pack`, { signal }), [appId]);
  return (
    <Async state={origin} onRetry={reload}>
      {(o) => (o === null ? null : <TemplateSection key={o.packId} appId={appId} origin={o} onUpgraded={() => { reload(); onUpgraded(); }} />)}
    </Async>
  );
}

function TemplateSection({ appId, origin, onUpgraded }: { appId: string; origin: PackOrigin; onUpgraded: () => void }) {
  const t = useT();
  const [preview, setPreview] = useState<UpgradePreview | null>(null);
  const [resolutions, setResolutions] = useState<Record<string, Resolution>>({});
  const [busy, setBusy] = useState<'check' | 'apply' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const url = `/api/apps/${encodeURIComponent(appId)}/upgrade`;

  async function run(kind: 'check' | 'apply') {
    setBusy(kind);
    setError(null);
    try {
      const body = kind === 'apply' ? { packId: origin.packId, apply: true, resolutions } : { packId: origin.packId };
      const result = await post<UpgradePreview>(url, body);
      if (result.applied) {
        setDone(result.to);
        setPreview(null);
        onUpgraded();
      } else {
        setPreview(result);
        setResolutions({});
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  }

  return (
    <section className="card stack" aria-labelledby="app-template">
      <h2 id="app-template" style={{ margin: 0 }}>{t({ en: 'Template', zh: '模板' })}</h2>
      <p style={{ margin: 0 }}>{t({ en: 'Installed from {name} {version}', zh: '安装自 {name} {version}' }, { name: t(origin.name), version: origin.version })}</p>
      {done !== null && <p className="alert alert-success" role="status" style={{ margin: 0 }}>{t({ en: 'Upgraded to version {v}.', zh: '已升级到版本 {v}。' }, { v: done })}</p>}
      {origin.available === null ? (
        done === null && <p className="muted" style={{ margin: 0 }}>{t({ en: 'This is the newest version of the template.', zh: '这是模板的最新版本。' })}</p>
      ) : (
        <div className="row">
          <span>{t({ en: 'Version {v} is available.', zh: '有新版本 {v}。' }, { v: origin.available })}</span>
          <button type="button" className="btn btn-sm" disabled={busy !== null} onClick={() => void run('check')}>
            {busy === 'check' ? t({ en: 'Checking…', zh: '检查中…' }) : t({ en: 'Check the upgrade', zh: '检查升级' })}
          </button>
        </div>
      )}
      {preview && (
        <Preview
          preview={preview} resolutions={resolutions} busy={busy}
          onResolve={(path, r) => setResolutions((all) => ({ ...all, [path]: r }))}
          onApply={() => void run('apply')}
        />
      )}
      {error !== null && <ErrorBox error={error} />}
    </section>
  );
}

function Preview({ preview, resolutions, busy, onResolve, onApply }: {
  preview: UpgradePreview;
  resolutions: Record<string, Resolution>;
  busy: 'check' | 'apply' | null;
  onResolve: (path: string, r: Resolution) => void;
  onApply: () => void;
}) {
  const t = useT();
  const ready = allResolved(preview.conflicts, resolutions);
  const records = preview.migrations.reduce((n, m) => n + m.records, 0);
  return (
    <div className="stack">
      <h3 style={{ margin: 0 }}>{t({ en: 'Upgrade from {from} to {to}', zh: '从 {from} 升级到 {to}' }, { from: preview.from, to: preview.to })}</h3>
      {preview.changes.length === 0 ? (
        preview.conflicts.length === 0 && <p className="muted" style={{ margin: 0 }}>{t({ en: 'Nothing in the app changes.', zh: '应用没有任何变更。' })}</p>
      ) : (
        <>
          <p style={{ margin: 0 }}>{t({ en: 'Changes: {n}', zh: '变更：{n} 处' }, { n: preview.changes.length })}</p>
          <ul className="pack-upgrade-list" aria-label={t({ en: 'Changes', zh: '变更' })}>
            {preview.changes.map((c) => (
              <li key={`${c.op}:${c.path}`}>
                <span className={`tag ${c.op === 'remove' ? 'tag-danger' : c.op === 'add' ? 'tag-success' : ''}`}>{t(OPS[c.op])}</span>
                <span>{t(c.where)}</span>
                <span className="pack-path muted" title={c.path}>{c.path}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {preview.kept.length > 0 && (
        <p className="muted" style={{ margin: 0 }}>
          {t({ en: 'Forms the new version no longer has stay, with their records: {forms}', zh: '新版本不再包含的表单会连同数据保留：{forms}' }, { forms: preview.kept.join(', ') })}
        </p>
      )}
      {records > 0 && (
        <p className="muted" style={{ margin: 0 }}>{t({ en: 'The upgrade updates {n} records to fit the new version.', zh: '升级会更新 {n} 条记录以适应新版本。' }, { n: records })}</p>
      )}
      {preview.conflicts.length > 0 && (
        <div className="stack" role="group" aria-label={t({ en: 'Conflicts', zh: '冲突' })}>
          <p style={{ margin: 0 }}>
            {t({ en: 'You and the new version both changed these. Choose which to keep:', zh: '你和新版本都修改了以下内容，请选择保留哪一个：' })}
          </p>
          {preview.conflicts.map((c) => (
            <div key={c.path} className="pack-conflict" role="radiogroup" aria-label={t(c.where)}>
              <strong>{t(c.where)}</strong>
              <div className="pack-path muted">{c.path}</div>
              <div className="pack-conflict-values">
                <span className="muted">{t({ en: 'Yours', zh: '你的' })}</span><code>{shortValue(c.mine)}</code>
                <span className="muted">{t({ en: 'New version', zh: '新版本' })}</span><code>{shortValue(c.theirs)}</code>
              </div>
              {(['mine', 'theirs'] as const).map((r) => (
                <label key={r} className="pack-choice">
                  <input type="radio" name={`conflict:${c.path}`} checked={resolutions[c.path] === r} onChange={() => onResolve(c.path, r)} />
                  {r === 'mine' ? t({ en: 'Keep mine', zh: '保留我的' }) : t({ en: 'Take theirs', zh: '采用新版本' })}
                </label>
              ))}
            </div>
          ))}
        </div>
      )}
      <div className="row">
        <button type="button" className="btn btn-primary btn-sm" disabled={!ready || busy !== null} onClick={onApply}>
          {busy === 'apply' ? t({ en: 'Upgrading…', zh: '升级中…' }) : t({ en: 'Apply the upgrade', zh: '执行升级' })}
        </button>
        {!ready && <span className="muted">{t({ en: 'Choose for every conflict first.', zh: '请先为每个冲突做出选择。' })}</span>}
      </div>
    </div>
  );
}
