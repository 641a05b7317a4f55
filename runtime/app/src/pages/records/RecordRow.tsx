// One record in the list: its title, a few of its values, its workflow status and when it was made.
import type { Field, FormDefinition } from '@trellis/core';
import { useLang, useT } from '../../lib/i18n';
import { href, linkHandler } from '../../lib/router';
import { displayValue, formatTime, titleField } from '../../ui/format';
import type { People } from '../../ui/people';
import { StatusTag } from '../../ui/StatusTag';
import type { RecordItem } from '../../ui/types';

const SKIP = new Set(['subtable', 'attachment', 'image', 'signature', 'textarea']);

/** up to three fields besides the title that read well on one line */
export function summaryFields(def: FormDefinition): Field[] {
  const title = titleField(def)?.key;
  return def.fields.filter((f) => f.key !== title && !SKIP.has(f.type)).slice(0, 3);
}

export function recordTitle(def: FormDefinition, record: RecordItem, untitled: string): string {
  const f = titleField(def);
  const v = f ? record.data[f.key] : undefined;
  return typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : `${untitled} ${record.id.slice(-6)}`;
}

/** in select mode: whether the row is ticked, and how to tick it */
export interface RowSelect {
  checked: boolean;
  onToggle(): void;
}

export function RecordRow({ def, record, fields, people, select }: { def: FormDefinition; record: RecordItem; fields: Field[]; people: People; select?: RowSelect }) {
  const t = useT();
  const lang = useLang();
  const to = `/records/${record.formId}/${record.id}`;
  const values = fields
    .map((f) => [f, displayValue(f, record.data[f.key], lang, people)] as const)
    .filter(([, v]) => v !== '');
  const title = recordTitle(def, record, t({ en: 'Record', zh: '记录' }));
  return (
    <li className={select ? 'record-select' : undefined}>
      {select && <input type="checkbox" aria-label={title} checked={select.checked} onChange={select.onToggle} />}
      <a href={href(to)} onClick={linkHandler(to)} className="record-row">
        <span className="record-main">
          <span className="record-title">{title}</span>
          {values.length > 0 && (
            <span className="record-values">
              {values.map(([f, v]) => (
                <span key={f.key}>
                  <span className="muted">{t(f.label)}: </span>
                  {v}
                </span>
              ))}
            </span>
          )}
        </span>
        <span className="record-side">
          <StatusTag status={record.status} />
          <time className="muted small" dateTime={record.createdAt}>{formatTime(record.createdAt, lang)}</time>
        </span>
      </a>
    </li>
  );
}
