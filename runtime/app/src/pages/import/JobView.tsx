// Step 4: a running import, followed by GET /api/jobs/:jobId (500 ms, backing off to 2 s) until
// it completes or fails. The job id lives in the URL (?job=), so leaving and coming back, or a
// reload, shows the same job again; the import itself runs on the server either way.
import { useEffect, useState } from 'react';
import type { FormDefinition } from '@trellis/core';
import { ApiError } from '../../lib/api';
import { useT } from '../../lib/i18n';
import { href, linkHandler } from '../../lib/router';
import { ErrorBox, errorText, Loading } from '../../ui/common';
import { pollDelay, rowCount } from './mapping';
import { RowErrors } from './RowErrors';
import { jobStatus, type ImportJob } from './upload';

export function JobView({ formId, jobId, def, onAgain }: { formId: string; jobId: string; def: FormDefinition; onAgain(): void }) {
  const t = useT();
  const [job, setJob] = useState<ImportJob | null>(null);
  // a job that cannot be read (unknown, someone else's) ends the polling; a network hiccup does not
  const [fatal, setFatal] = useState<unknown>(null);
  const [trouble, setTrouble] = useState<unknown>(null);

  useEffect(() => {
    const ctl = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    const tick = async () => {
      try {
        const j = await jobStatus(jobId, ctl.signal);
        if (ctl.signal.aborted) return;
        setJob(j);
        setTrouble(null);
        if (j.state === 'completed' || j.state === 'failed') return;
      } catch (e) {
        if (ctl.signal.aborted) return;
        if (e instanceof ApiError && (e.status === 404 || e.status === 403)) return setFatal(e);
        setTrouble(e);
      }
      timer = setTimeout(() => void tick(), pollDelay(attempt++));
    };
    void tick();
    return () => {
      ctl.abort();
      clearTimeout(timer);
    };
  }, [jobId]);

  const again = (
    <button type="button" className="btn" onClick={onAgain}>
      {t({ en: 'Import another file', zh: '导入另一个文件' })}
    </button>
  );
  if (fatal) return <div className="stack"><ErrorBox error={fatal} />{again}</div>;
  if (!job) return <Loading label={{ en: 'Loading the import…', zh: '正在加载导入…' }} />;

  const listTo = `/forms/${formId}/records`;
  if (job.state === 'completed') {
    return (
      <div className="stack">
        <div className="alert alert-success" role="status" aria-label={t({ en: 'Import result', zh: '导入结果' })}>
          {t({ en: 'Imported {rows}.', zh: '已导入 {rows}。' }, { rows: t(rowCount(job.done)) })}
        </div>
        <div className="row">
          <a className="btn btn-primary" href={href(listTo)} onClick={linkHandler(listTo)}>{t({ en: 'Open the record list', zh: '打开记录列表' })}</a>
          {again}
        </div>
      </div>
    );
  }
  if (job.state === 'failed') {
    return (
      <div className="stack">
        <div className="alert" role="alert" aria-label={t({ en: 'Import result', zh: '导入结果' })}>
          <strong>{t({ en: 'The import failed.', zh: '导入失败。' })}</strong> {job.message}
          <br />
          {t({ en: 'Nothing was imported: an import is all or nothing, and any rows it had stored were removed again.', zh: '没有导入任何数据：导入要么全部成功，要么全部撤销，已保存的行均已删除。' })}
        </div>
        <RowErrors def={def} errors={job.errors} label={{ en: 'Rows that failed', zh: '失败的行' }} />
        {again}
      </div>
    );
  }

  const total = job.total;
  const now = job.state === 'importing' ? job.done : 0;
  const text =
    job.state === 'waiting' ? t({ en: 'Waiting to start…', zh: '等待开始…' })
      : job.state === 'checking' ? t({ en: 'Checking every row…', zh: '正在检查每一行…' })
        : t({ en: 'Importing: {done} of {total} rows', zh: '正在导入：{done} / {total} 行' }, { done: now.toLocaleString(), total: total.toLocaleString() });
  return (
    <div className="stack">
      <p aria-live="polite">{text}</p>
      <div
        className={`import-progress${job.state === 'importing' ? '' : ' import-progress-busy'}`}
        role="progressbar"
        aria-label={t({ en: 'Import progress', zh: '导入进度' })}
        aria-valuemin={0}
        aria-valuemax={Math.max(total, 1)}
        aria-valuenow={now}
        aria-valuetext={text}
      >
        {/* before rows are stored (waiting, checking) the amount is unknown: a moving stripe says it is working */}
        <div className="import-progress-bar" style={job.state === 'importing' ? { width: `${total > 0 ? Math.round((now / total) * 100) : 0}%` } : undefined} />
      </div>
      {trouble !== null && <p className="muted small">{errorText(trouble, t)} {t({ en: 'Still trying…', zh: '仍在重试…' })}</p>}
      <p className="muted small">{t({ en: 'You may leave this page: the import goes on, and this address shows it again.', zh: '可以离开此页面：导入会继续进行，再次打开此地址即可查看。' })}</p>
    </div>
  );
}
