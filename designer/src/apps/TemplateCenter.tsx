// The template center: one card per bundled pack (GET /api/packs) with what it holds, "Include
// sample data" and "Install"; an install opens the new app. With no packs the section says so.
import { useState } from 'react';
import type { PackSummary } from '@trellis/core';
import { get, post } from '@trellis/app/lib/api';
import { useT, type Msg } from '@trellis/app/lib/i18n';
import { navigate } from '@trellis/app/lib/router';
import { useAsync } from '@trellis/app/lib/use-async';
import { Async, errorText } from '@trellis/app/ui/common';
import './template-center.css';

const CATEGORIES: Record<string, Msg> = {
  crm: { en: 'Sales & CRM', zh: '销售与客户' },
  scm: { en: 'Supply chain', zh: '供应链' },
  erp: { en: 'ERP', zh: '企业资源计划' },
  other: { en: 'Other', zh: '其他' },
};

/** the category's name, or its slug for one this screen does not know */
export function categoryName(category: string): Msg {
  return CATEGORIES[category] ?? { en: category, zh: category };
}

async function loadPacks(signal: AbortSignal): Promise<PackSummary[]> {
  return (await get<{ items: PackSummary[] }>('/api/packs', { signal })).items;
}

export function TemplateCenter() {
  const t = useT();
  const [packs, reload] = useAsync(loadPacks, []);
  // one install at a time: each creates an app and its forms, and the page leaves when it is done
  const [installing, setInstalling] = useState<string | null>(null);
  return (
    <section aria-labelledby="apps-templates" className="stack">
      <div>
        <h2 id="apps-templates" style={{ marginBottom: 4 }}>{t({ en: 'From template', zh: '从模板创建' })}</h2>
        <p className="muted" style={{ margin: 0 }}>
          {t({ en: 'Start a complete app from a template pack: forms, workflows, roles and dashboards, ready to use and to change.', zh: '从模板包开始一个完整的应用：表单、流程、角色和仪表盘，可直接使用，也可修改。' })}
        </p>
      </div>
      <Async state={packs} onRetry={reload}>
        {(items) =>
          items.length === 0 ? (
            <p className="muted">{t({ en: 'No template packs are installed on this server.', zh: '此服务器没有安装模板包。' })}</p>
          ) : (
            <ul className="pack-grid" aria-label={t({ en: 'Template packs', zh: '模板包' })}>
              {items.map((p) => (
                <PackCard key={p.id} pack={p} busy={installing} onBusy={setInstalling} />
              ))}
            </ul>
          )
        }
      </Async>
    </section>
  );
}

function PackCard({ pack, busy, onBusy }: { pack: PackSummary; busy: string | null; onBusy: (id: string | null) => void }) {
  const t = useT();
  const [sample, setSample] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const name = t(pack.name);
  const headingId = `pack-${pack.id}-name`;
  async function install() {
    onBusy(pack.id);
    setError(null);
    try {
      const app = await post<{ id: string }>(`/api/packs/${encodeURIComponent(pack.id)}/install`, { withSampleData: sample });
      navigate(`/apps/${app.id}`);
    } catch (err) {
      setError(err);
    } finally {
      onBusy(null);
    }
  }
  return (
    <li className="card pack-card" aria-labelledby={headingId}>
      <div className="pack-card-head">
        <span className={`pack-icon pack-icon-${pack.category}`} aria-hidden="true">{name.slice(0, 1)}</span>
        <div className="pack-card-title">
          <h3 id={headingId}>{name}</h3>
          <span className="muted pack-meta">
            <span className="tag">{t(categoryName(pack.category))}</span> {t({ en: 'Version {v}', zh: '版本 {v}' }, { v: pack.version })}
          </span>
        </div>
      </div>
      <p className="pack-description">{t(pack.description)}</p>
      <p className="muted pack-counts">
        {t({ en: '{forms} forms · {records} sample records', zh: '{forms} 个表单 · {records} 条示例数据' }, { forms: pack.forms, records: pack.records })}
      </p>
      <div className="pack-actions">
        <label className="pack-sample">
          <input type="checkbox" checked={sample} disabled={busy !== null} onChange={(e) => setSample(e.target.checked)} />
          {t({ en: 'Include sample data', zh: '包含示例数据' })}
        </label>
        <button
          type="button" className="btn btn-primary btn-sm" disabled={busy !== null} aria-busy={busy === pack.id}
          aria-label={busy === pack.id ? undefined : t({ en: 'Install {name}', zh: '安装 {name}' }, { name })}
          onClick={() => void install()}
        >
          {busy === pack.id ? t({ en: 'Installing…', zh: '安装中…' }) : t({ en: 'Install', zh: '安装' })}
        </button>
      </div>
      {error !== null && (
        <div className="alert" role="alert">
          {t({ en: 'Could not install {name}: {why}', zh: '无法安装 {name}：{why}' }, { name, why: errorText(error, t) })}
        </div>
      )}
    </li>
  );
}
