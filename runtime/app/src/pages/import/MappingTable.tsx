// Step 2: each file column → a form field (or skipped), with sample values; a link column also
// picks the field of the linked form its cells name records by. Required fields left without a
// column are flagged: every row would be refused for them.
import type { FormDefinition } from '@trellis/core';
import { useT } from '../../lib/i18n';
import { importableFields, keyFieldChoices, requiredUnmapped, sampleValues, type LinkKeys, type Mapping, type Preview } from './mapping';

/** a link field's target form: its definition, or null when the caller cannot read it */
export type LinkedForms = Record<string, FormDefinition | null>;

export function MappingTable({ def, preview, mapping, linkKeys, linked, onColumn, onLinkKey }: {
  def: FormDefinition;
  preview: Preview;
  mapping: Mapping;
  linkKeys: LinkKeys;
  linked: LinkedForms;
  onColumn(column: string, key: string): void;
  onLinkKey(field: string, keyField: string): void;
}) {
  const t = useT();
  const fields = importableFields(def);
  const missing = requiredUnmapped(def, mapping);
  const used = new Map(Object.entries(mapping).filter(([, k]) => k !== '').map(([c, k]) => [k, c]));
  return (
    <div className="stack">
      <div className="table-scroll">
        <table className="import-table import-map" aria-label={t({ en: 'Column mapping', zh: '列映射' })}>
          <thead>
            <tr>
              <th scope="col">{t({ en: 'File column', zh: '文件列' })}</th>
              <th scope="col">{t({ en: 'Sample values', zh: '示例值' })}</th>
              <th scope="col">{t({ en: 'Form field', zh: '表单字段' })}</th>
              <th scope="col">{t({ en: 'Match by', zh: '匹配依据' })}</th>
            </tr>
          </thead>
          <tbody>
            {preview.columns.map((column, index) => {
              const key = mapping[column] ?? '';
              const field = fields.find((f) => f.key === key);
              const target = field?.type === 'link' ? linked[field.key] : undefined;
              return (
                <tr key={`${index}:${column}`} className={key === '' ? 'import-skipped' : undefined}>
                  <th scope="row">{column}</th>
                  <td className="muted small">{sampleValues(preview.sample, index).join(' · ') || '—'}</td>
                  <td>
                    <select aria-label={t({ en: 'Field for column “{c}”', zh: '“{c}”列对应的字段' }, { c: column })} value={key} onChange={(e) => onColumn(column, e.target.value)}>
                      <option value="">{t({ en: 'Skip', zh: '跳过' })}</option>
                      {fields.map((f) => {
                        const other = used.get(f.key);
                        return (
                          <option key={f.key} value={f.key}>
                            {t(f.label)}
                            {f.required ? ' *' : ''}
                            {other !== undefined && other !== column ? ` (${t({ en: 'now “{c}”', zh: '当前为“{c}”' }, { c: other })})` : ''}
                          </option>
                        );
                      })}
                    </select>
                  </td>
                  <td>
                    {field?.type === 'link' && (
                      <select aria-label={t({ en: 'Match “{f}” by', zh: '“{f}”的匹配依据' }, { f: t(field.label) })} value={linkKeys[field.key] ?? ''} onChange={(e) => onLinkKey(field.key, e.target.value)}>
                        {(target ? keyFieldChoices(target) : []).map((k) => (
                          <option key={k.key} value={k.key}>{t(k.label)}</option>
                        ))}
                        <option value="">{t({ en: 'Record ID', zh: '记录 ID' })}</option>
                      </select>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="muted small">{t({ en: '* required field', zh: '* 必填字段' })}</p>
      {missing.length > 0 && (
        <div className="alert" role="status" aria-label={t({ en: 'Required fields without a column', zh: '没有对应列的必填字段' })}>
          {t({ en: 'Required fields without a column: {list}. Every row would be refused unless a column goes to them.', zh: '以下必填字段没有对应列：{list}。除非为其选择一列，否则每一行都会被拒绝。' }, { list: missing.map((f) => t(f.label)).join(t({ en: ', ', zh: '、' })) })}
        </div>
      )}
    </div>
  );
}
