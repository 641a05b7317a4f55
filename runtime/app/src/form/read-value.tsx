// A value shown read-only: view mode, and computed or locked fields while filling.
import { labelText } from '@trellis/core';
import { useT } from '../lib/i18n';
import { useFormCtx } from './form-context';
import { isEmpty, optionLabel, type AnyField } from './form-state';
import { isFileRef } from './upload';
import { FileImage, FileLink } from './widgets/files';
import { useDirectory, useLinkTitles } from './widgets/directory';

export function formatNumber(v: number, f: AnyField, lang: string): string {
  const precision = f.type === 'money' ? (f.precision ?? 2) : f.precision;
  return v.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US', precision === undefined ? {} : { minimumFractionDigits: precision, maximumFractionDigits: precision });
}

/** Plain text of a simple value (for read-only inputs of computed fields). */
export function plainText(f: AnyField, v: unknown, lang: 'en' | 'zh'): string {
  if (isEmpty(v)) return '';
  if (typeof v === 'number') return formatNumber(v, f, lang) + (f.type === 'money' && f.currency ? ` ${f.currency}` : '');
  if (typeof v === 'boolean') return v ? (lang === 'zh' ? '是' : 'Yes') : lang === 'zh' ? '否' : 'No';
  if (f.type === 'datetime' && typeof v === 'string') {
    const d = new Date(v);
    return Number.isNaN(d.getTime()) ? v : d.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US');
  }
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(', ');
  if (typeof v === 'object') return labelText(v as never, lang) || JSON.stringify(v);
  return String(v);
}

function Names({ kind, ids }: { kind: 'users' | 'departments'; ids: string[] }) {
  const ctx = useFormCtx();
  const dir = useDirectory(kind, ctx.mode !== 'preview');
  return <>{ids.map((id) => dir.names.get(id) ?? id).join(', ')}</>;
}

function LinkTitles({ f, ids }: { f: AnyField; ids: string[] }) {
  const ctx = useFormCtx();
  const titles = useLinkTitles(f.form, f.displayField, ids, ctx.mode !== 'preview');
  return <>{ids.map((id) => titles.names.get(id) ?? id).join(', ')}</>;
}

export function ReadValue({ field: f, value: v }: { field: AnyField; value: unknown }) {
  const t = useT();
  const { lang } = useFormCtx();
  if (isEmpty(v)) return <span className="muted">—</span>;
  const ids = Array.isArray(v) ? v.map(String) : [String(v)];
  switch (f.type) {
    case 'select':
      return <>{optionLabel(f, v, lang)}</>;
    case 'multiselect':
      return <>{ids.map((x) => optionLabel(f, x, lang)).join(', ')}</>;
    case 'member':
      return <Names kind="users" ids={ids} />;
    case 'department':
      return <Names kind="departments" ids={ids} />;
    case 'link':
      return <LinkTitles f={f} ids={ids} />;
    case 'attachment':
    case 'image':
    case 'signature': {
      const files = (Array.isArray(v) ? v : []).filter(isFileRef);
      return (
        <ul className={f.type === 'attachment' ? 'tf-file-list' : 'tf-thumbs'}>
          {files.map((file) => (
            <li key={file.id}>{f.type === 'attachment' ? <FileLink file={file} /> : <FileImage file={file} />}</li>
          ))}
        </ul>
      );
    }
    case 'address': {
      const a = v as Record<string, string>;
      return <>{[a.province, a.city, a.district, a.detail].filter(Boolean).join(' ')}</>;
    }
    case 'textarea':
      return <span className="tf-pre">{String(v)}</span>;
    case 'checkbox':
      return <>{v === true ? t({ en: 'Yes', zh: '是' }) : t({ en: 'No', zh: '否' })}</>;
    default:
      return <>{plainText(f, v, lang)}</>;
  }
}
