// The partner of an external user: a record (e.g. a supplier) of some form, picked from that form's records.
import { useId, useState } from 'react';
import type { Partner } from '@trellis/core';
import { get } from '@trellis/app/lib/api';
import { useT } from '@trellis/app/lib/i18n';
import { useAsync } from '@trellis/app/lib/use-async';
import { Async } from '@trellis/app/ui/common';
import { formShape, loadForms, type AppInfo } from './org-data';

interface RecordRow {
  id: string;
  data: Record<string, unknown>;
}

export function PartnerPicker({ apps, value, onChange }: { apps: AppInfo[]; value: Partner | null; onChange: (p: Partner | null) => void }) {
  const t = useT();
  const id = useId();
  const [formId, setFormId] = useState(value?.formId ?? '');
  const [forms] = useAsync(async (signal) => {
    const lists = await Promise.all(apps.map(async (a) => (await loadForms(a.id, signal)).map((f) => ({ app: a, form: f }))));
    return lists.flat();
  }, [apps]);
  return (
    <div className="card stack" style={{ marginTop: 8 }}>
      <Async state={forms}>
        {(list) => {
          const chosen = list.find((x) => x.form.id === formId);
          return (
            <>
              <div className="field">
                <label htmlFor={`${id}-form`}>{t({ en: 'Partner form', zh: '合作方表单' })}</label>
                <select id={`${id}-form`} value={formId} onChange={(e) => { setFormId(e.target.value); onChange(null); }}>
                  <option value="">{t({ en: '— pick a form —', zh: '— 选择表单 —' })}</option>
                  {list.map(({ app, form }) => (
                    <option key={form.id} value={form.id}>{t(app.name)} / {t(formShape(form).name)}</option>
                  ))}
                </select>
              </div>
              {chosen && <PartnerRecord key={formId} formId={formId} titleField={formShape(chosen.form).titleField ?? formShape(chosen.form).fields[0]?.key} value={value} onChange={onChange} />}
            </>
          );
        }}
      </Async>
    </div>
  );
}

function PartnerRecord({ formId, titleField, value, onChange }: { formId: string; titleField?: string; value: Partner | null; onChange: (p: Partner | null) => void }) {
  const t = useT();
  const id = useId();
  const [records] = useAsync((signal) => get<{ items: RecordRow[] }>(`/api/forms/${formId}/records?limit=200`, { signal }).then((r) => r.items), [formId]);
  const title = (r: RecordRow) => {
    const v = titleField ? r.data[titleField] : undefined;
    return typeof v === 'string' || typeof v === 'number' ? `${v}` : r.id;
  };
  return (
    <Async state={records}>
      {(items) => (
        <div className="field">
          <label htmlFor={`${id}-record`}>{t({ en: 'Partner record', zh: '合作方记录' })}</label>
          <select id={`${id}-record`} value={value?.formId === formId ? value.recordId : ''} onChange={(e) => onChange(e.target.value ? { formId, recordId: e.target.value } : null)}>
            <option value="">{t({ en: '— pick a record —', zh: '— 选择记录 —' })}</option>
            {items.map((r) => (
              <option key={r.id} value={r.id}>{title(r)}</option>
            ))}
          </select>
          <div className="help">{t({ en: 'The user only ever sees what roles grant on records of this partner.', zh: '该用户只能看到角色授予的、与该合作方相关的数据。' })}</div>
        </div>
      )}
    </Async>
  );
}
