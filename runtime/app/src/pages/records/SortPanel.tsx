// Sort the list by one field, either way; applied as soon as it is picked.
import type { FormDefinition } from '@trellis/core';
import { useT, type Msg } from '../../lib/i18n';
import { sortFields, type SortState } from './query';

const SYSTEM_SORTS: [string, Msg][] = [
  ['createdAt', { en: 'Created', zh: '创建时间' }],
  ['updatedAt', { en: 'Updated', zh: '更新时间' }],
];

export function SortPanel({ def, sort, onChange }: { def: FormDefinition; sort: SortState; onChange(s: SortState): void }) {
  const t = useT();
  return (
    <div className="panel row sort-panel" role="group" aria-label={t({ en: 'Sort', zh: '排序' })}>
      <div className="field grow">
        <label htmlFor="sort-field">{t({ en: 'Sort by', zh: '排序字段' })}</label>
        <select id="sort-field" value={sort.field} onChange={(e) => onChange({ ...sort, field: e.target.value })}>
          {SYSTEM_SORTS.map(([k, l]) => <option key={k} value={k}>{t(l)}</option>)}
          {sortFields(def).map((f) => <option key={f.key} value={f.key}>{t(f.label)}</option>)}
        </select>
      </div>
      <div className="field grow">
        <label htmlFor="sort-dir">{t({ en: 'Order', zh: '顺序' })}</label>
        <select id="sort-dir" value={sort.dir} onChange={(e) => onChange({ ...sort, dir: e.target.value as 'asc' | 'desc' })}>
          <option value="desc">{t({ en: 'Descending', zh: '降序' })}</option>
          <option value="asc">{t({ en: 'Ascending', zh: '升序' })}</option>
        </select>
      </div>
    </div>
  );
}
