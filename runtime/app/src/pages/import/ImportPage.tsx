// Import records from a CSV or XLSX file into one form (mostly used on a desktop). Without
// ?job= the steps to choose, map and check a file; with it, that import's progress and result.
import { get } from '../../lib/api';
import { useT } from '../../lib/i18n';
import { navigate, queryParam, useLocation } from '../../lib/router';
import { useAsync } from '../../lib/use-async';
import { Async } from '../../ui/common';
import { PageHeader } from '../../ui/PageHeader';
import type { FormItem } from '../../ui/types';
import { ImportWizard } from './ImportWizard';
import { JobView } from './JobView';
import './import.css';

export default function ImportPage({ formId }: { formId: string }) {
  const t = useT();
  const jobId = queryParam(useLocation(), 'job');
  const [form, reload] = useAsync((signal) => get<FormItem>(`/api/forms/${encodeURIComponent(formId)}`, { signal }), [formId]);
  const here = `/forms/${formId}/import`;
  return (
    <Async state={form} onRetry={reload}>
      {(f) => {
        const def = f.published?.definition;
        return (
          <div className="stack import-page">
            <PageHeader
              back={`/forms/${formId}/records`}
              title={t({ en: 'Import into {form}', zh: '导入到{form}' }, { form: def ? t(def.name) : formId })}
            />
            {!def ? (
              <p className="muted">{t({ en: 'This form is not published yet.', zh: '此表单尚未发布。' })}</p>
            ) : jobId ? (
              <JobView key={jobId} formId={formId} jobId={jobId} def={def} onAgain={() => navigate(here)} />
            ) : f.permissions?.actions.includes('submit') ? (
              <ImportWizard formId={formId} def={def} onStarted={(id) => navigate(`${here}?job=${encodeURIComponent(id)}`, { replace: true })} />
            ) : (
              <div className="alert" role="alert">{t({ en: 'You may not add records to this form, so you cannot import into it.', zh: '你无权向此表单添加记录，因此无法导入。' })}</div>
            )}
          </div>
        );
      }}
    </Async>
  );
}
