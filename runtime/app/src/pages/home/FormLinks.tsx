// One form of an app with what the person may do with it: fill in a new record, open the records.
import { useT } from '../../lib/i18n';
import { href, linkHandler } from '../../lib/router';
import type { FormItem } from '../../ui/types';

export function formName(form: FormItem, t: ReturnType<typeof useT>): string {
  return form.published ? t(form.published.definition.name) : t({ en: 'Untitled form', zh: '未命名表单' });
}

export function FormLinks({ form }: { form: FormItem }) {
  const t = useT();
  const actions = form.permissions?.actions ?? [];
  const name = formName(form, t);
  const published = !!form.published;
  const newTo = `/forms/${form.id}/new`;
  const listTo = `/forms/${form.id}/records`;
  return (
    <li className="form-row">
      <span className="form-name">{name}</span>
      {!published && <span className="muted small">{t({ en: 'Not published', zh: '未发布' })}</span>}
      {published && (
        <span className="form-actions">
          {actions.includes('submit') && (
            <a className="btn btn-sm btn-primary" href={href(newTo)} onClick={linkHandler(newTo)} aria-label={t({ en: 'New {form}', zh: '新建{form}' }, { form: name })}>
              {t({ en: 'New', zh: '新建' })}
            </a>
          )}
          {actions.includes('view') && (
            <a className="btn btn-sm" href={href(listTo)} onClick={linkHandler(listTo)} aria-label={t({ en: 'Records of {form}', zh: '{form}的记录' }, { form: name })}>
              {t({ en: 'Records', zh: '记录' })}
            </a>
          )}
        </span>
      )}
    </li>
  );
}
