// The records of one form: search, filter, sort and an endless list; "New" for those who may submit.
import { get } from '../lib/api';
import { useT } from '../lib/i18n';
import { href, linkHandler } from '../lib/router';
import { useAsync } from '../lib/use-async';
import { Async } from '../ui/common';
import { PageHeader } from '../ui/PageHeader';
import type { FormItem } from '../ui/types';
import { RecordList } from './records/RecordList';

export default function RecordsPage({ formId }: { formId: string }) {
  const t = useT();
  const [form, reload] = useAsync((signal) => get<FormItem>(`/api/forms/${formId}`, { signal }), [formId]);
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
                  <a className="btn btn-primary btn-sm" href={href(newTo)} onClick={linkHandler(newTo)}>
                    {t({ en: 'New', zh: '新建' })}
                  </a>
                ) : undefined
              }
            />
            {def ? (
              <RecordList formId={formId} def={def} permissions={f.permissions} />
            ) : (
              <p className="muted">{t({ en: 'This form is not published yet.', zh: '此表单尚未发布。' })}</p>
            )}
          </div>
        );
      }}
    </Async>
  );
}
