// Settings that belong to one field type: link target and display field, lookup source, formula,
// serial pattern, money currency and precision, file limits, multiple values, sub-table rows.
import { fieldType, type Field, type Logic, type SubField } from '@trellis/core';
import { useT } from '@trellis/app/lib/i18n';
import { FieldPicker } from '../common/FieldPicker';
import { FormulaEditor } from './FormulaEditor';
import { CheckInput, NumInput, PanelSection, SelectInput, TextInput } from './inputs';
import type { AnyD, AppForm } from './model';

type AnyField = Field | SubField;

export interface TypeSettingsProps {
  field: AnyD;
  /** fields at the same level (the form's, or the sub-table's), the field itself included */
  siblings: readonly AnyField[];
  /** for a field of a sub-table: the form's top-level fields */
  parentFields?: readonly AnyField[];
  forms: readonly AppForm[];
  set(patch: Partial<Field>): void;
}

export function TypeSettings({ field, siblings, parentFields, forms, set }: TypeSettingsProps) {
  const t = useT();
  const f = field;
  const formFields = (id: string | undefined) => forms.find((x) => x.id === id)?.definition.fields ?? [];
  let body: React.ReactNode = null;
  switch (f.type) {
    case 'link':
      body = (
        <>
          <SelectInput label={t({ en: 'Target form', zh: '关联表单' })} value={f.form ?? ''} onChange={(v) => set({ form: v || undefined, displayField: undefined })}>
            <option value="">{t({ en: 'Choose a form…', zh: '请选择表单…' })}</option>
            {forms.map((x) => <option key={x.id} value={x.id}>{t(x.name)}{x.published ? '' : ` (${t({ en: 'not published', zh: '未发布' })})`}</option>)}
          </SelectInput>
          <FieldPicker label={t({ en: 'Display field', zh: '显示字段' })} fields={formFields(f.form).filter((x) => x.type !== 'subtable')} value={f.displayField ?? ''} empty={t({ en: 'The form\'s title field', zh: '表单的标题字段' })} onChange={(v) => set({ displayField: v || undefined })} />
          <CheckInput label={t({ en: 'Several records', zh: '允许多条' })} checked={!!f.multiple} onChange={(v) => set({ multiple: v || undefined })} />
        </>
      );
      break;
    case 'lookup': {
      const links = siblings.filter((x) => x.type === 'link');
      const link = links.find((x) => x.key === f.link);
      body = (
        <>
          <FieldPicker label={t({ en: 'Link field', zh: '关联字段' })} fields={links} value={f.link ?? ''} empty={t({ en: 'Choose a link field…', zh: '请选择关联字段…' })} onChange={(v) => set({ link: v || undefined, field: undefined })} />
          {links.length === 0 && <p className="muted">{t({ en: 'Add a "Link to records" field first.', zh: '请先添加一个“关联记录”字段。' })}</p>}
          <FieldPicker label={t({ en: 'Field to show', zh: '显示的字段' })} fields={formFields(link?.form).filter((x) => x.type !== 'subtable')} value={f.field ?? ''} empty="—" onChange={(v) => set({ field: v || undefined })} />
        </>
      );
      break;
    }
    case 'formula':
      body = (
        <>
          <FormulaEditor
            key={f._uid}
            value={f.formula}
            onChange={(v: Logic | undefined) => set({ formula: v })}
            fields={siblings.filter((x) => x.key !== f.key)}
            {...(parentFields ? { parentFields } : {})}
          />
          <SelectInput label={t({ en: 'Result type', zh: '结果类型' })} value={f.resultType ?? 'number'} onChange={(v) => set({ resultType: v as Field['resultType'] })}>
            <option value="number">{t({ en: 'Number', zh: '数字' })}</option>
            <option value="text">{t({ en: 'Text', zh: '文本' })}</option>
            <option value="date">{t({ en: 'Date', zh: '日期' })}</option>
            <option value="boolean">{t({ en: 'Yes/no', zh: '是/否' })}</option>
          </SelectInput>
          {(f.resultType ?? 'number') === 'number' && <NumInput label={t({ en: 'Decimal places', zh: '小数位数' })} value={f.precision} min={0} max={8} step={1} onChange={(v) => set({ precision: v })} />}
        </>
      );
      break;
    case 'serial':
      body = (
        <TextInput
          label={t({ en: 'Number pattern', zh: '编号规则' })}
          value={f.pattern ?? ''}
          mono
          help={t({ en: '{YYYY} {MM} {DD} {YYYYMMDD} for the date, {0000} for the counter (its width), e.g. PR-{YYYYMMDD}-{0000}', zh: '{YYYY} {MM} {DD} {YYYYMMDD} 表示日期，{0000} 表示计数（位数），例如 PR-{YYYYMMDD}-{0000}' })}
          onChange={(v) => set({ pattern: v || undefined })}
        />
      );
      break;
    case 'money':
    case 'number':
      body = (
        <>
          {f.type === 'money' && (
            <TextInput label={t({ en: 'Currency', zh: '币种' })} value={f.currency ?? ''} placeholder="CNY" help={t({ en: 'Three-letter ISO code, e.g. CNY, USD', zh: '三位 ISO 代码，如 CNY、USD' })} onChange={(v) => set({ currency: v ? v.toUpperCase() : undefined })} />
          )}
          <NumInput label={t({ en: 'Decimal places', zh: '小数位数' })} value={f.precision} min={0} max={8} step={1} onChange={(v) => set({ precision: v })} />
        </>
      );
      break;
    case 'attachment':
    case 'image':
    case 'signature':
      body = (
        <>
          <TextInput
            label={t({ en: 'Accepted types', zh: '允许的文件类型' })}
            value={(f.accept ?? []).join(', ')}
            placeholder={f.type === 'attachment' ? 'application/pdf, image/*' : 'image/*'}
            help={t({ en: 'MIME types separated by commas; empty accepts the default', zh: '以逗号分隔的 MIME 类型；留空为默认' })}
            onChange={(v) => {
              const list = v.split(',').map((s) => s.trim()).filter(Boolean);
              set({ accept: list.length ? list : undefined });
            }}
          />
          <NumInput
            label={t({ en: 'Largest file (MB)', zh: '单个文件上限（MB）' })}
            value={f.maxSize === undefined ? undefined : Math.round((f.maxSize / 1048576) * 100) / 100}
            min={0.01}
            onChange={(v) => set({ maxSize: v === undefined || v <= 0 ? undefined : Math.max(1, Math.round(v * 1048576)) })}
          />
          {f.type !== 'signature' && <CheckInput label={t({ en: 'Several files', zh: '允许多个文件' })} checked={!!f.multiple} onChange={(v) => set({ multiple: v || undefined })} />}
        </>
      );
      break;
    case 'member':
    case 'department':
      body = <CheckInput label={f.type === 'member' ? t({ en: 'Several members', zh: '允许多人' }) : t({ en: 'Several departments', zh: '允许多个部门' })} checked={!!f.multiple} onChange={(v) => set({ multiple: v || undefined })} />;
      break;
    case 'subtable': {
      const sub = f as Field;
      body = (
        <>
          <NumInput label={t({ en: 'Fewest rows', zh: '最少行数' })} value={sub.minRows} min={0} step={1} onChange={(v) => set({ minRows: v })} />
          <NumInput label={t({ en: 'Most rows', zh: '最多行数' })} value={sub.maxRows} min={1} step={1} onChange={(v) => set({ maxRows: v })} />
          <p className="muted">{t({ en: '{n} fields in each row; add them on the canvas.', zh: '每行 {n} 个字段；在画布上添加。' }, { n: sub.fields?.length ?? 0 })}</p>
        </>
      );
      break;
    }
  }
  if (!body) return null;
  return <PanelSection title={t({ en: '{type} settings', zh: '{type}设置' }, { type: t(fieldType(f.type).label) })}>{body}</PanelSection>;
}
