// The records of one form: search, filter, sort and an endless list; "New" for those who may submit.
import { get } from '../lib/api';
import { useT } from '../lib/i18n';
import { useMemo } from 'react';
import { href, linkHandler, navigate, queryParam, useLocation } from '../lib/router';
import { filterParam } from '../dashboard/view';
import { useAsync } from '../lib/use-async';
import { Async } from '../ui/common';
import { PageHeader } from '../ui/PageHeader';
import type { FormItem } from '../ui/types';
import { RecordList } from './records/RecordList';

export default function RecordsPage({ formId }: { formId: string }) {
  const t = useT();
  const [form, reload] = useAsync((signal) => get<FormItem>(`/api/forms/${formId}`, { signal }), [formId]);
  // `?filter=<json>`: the records behind a dashboard figure (drill-down), removable
  const filterText = queryParam(useLocation(), 'filter');
  const drill = useMemo(() => filterParam(filterText), [filterText]);
  const clearDrill = () => navigate(`/forms/${formId}/records`, { replace: true });
  return (
    <Async state={form} onRetry={reload}>
      {(f) => {
        const def = f.published?.definition;
        const newTo = `/forms/${formId}/new`;
        return (
          <div className="stack">
            <PageHeader
              back={`/apps/${f.appId}`}
              title={def ? t(def.name) : t({ en: 'Records', zh: '记录' })}
              actions={
                def && f.permissions?.actions.includes('submit') ? (
                  <>
                    {/* importing adds records: the server allows it to those who may submit */}
                    <a className="btn btn-sm" href={href(`/forms/${formId}/import`)} onClick={linkHandler(`/forms/${formId}/import`)}>
                      {t({ en: 'Import', zh: '导入' })}
                    </a>
                    <a className="btn btn-primary btn-sm" href={href(newTo)} onClick={linkHandler(newTo)}>
                      {t({ en: 'New', zh: '新建' })}
                    </a>
                  </>
                ) : undefined
              }
            />
            {drill && (
              <div className="row chip-row">
                <span className="chip">{t({ en: 'Filtered from dashboard', zh: '来自仪表盘的筛选' })}</span>
                <button type="button" className="btn btn-sm" onClick={clearDrill}>
                  {t({ en: 'Remove dashboard filter', zh: '移除仪表盘筛选' })}
                </button>
              </div>
            )}
            {drill && 'error' in drill && <p className="alert" role="alert">{t(drill.error)}</p>}
            {def ? (
              <RecordList formId={formId} def={def} permissions={f.permissions} scope={drill && 'filter' in drill ? drill.filter : undefined} />
            ) : (
              <p className="muted">{t({ en: 'This form is not published yet.', zh: '此表单尚未发布。' })}</p>
            )}
          </div>
        );
      }}
    </Async>
  );
}
