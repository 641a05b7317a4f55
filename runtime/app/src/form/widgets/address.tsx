// Address: province, city, district and the street detail.
import { useT, type Msg } from '../../lib/i18n';
import type { WidgetProps } from '../form-context';

type Address = Partial<Record<'province' | 'city' | 'district' | 'detail', string>>;
const PARTS: { key: keyof Address; label: Msg; autocomplete: string }[] = [
  { key: 'province', label: { en: 'Province', zh: '省' }, autocomplete: 'address-level1' },
  { key: 'city', label: { en: 'City', zh: '市' }, autocomplete: 'address-level2' },
  { key: 'district', label: { en: 'District', zh: '区/县' }, autocomplete: 'address-level3' },
  { key: 'detail', label: { en: 'Street address', zh: '详细地址' }, autocomplete: 'street-address' },
];

export function AddressWidget(p: WidgetProps<Address>) {
  const t = useT();
  const v = p.value ?? {};
  return (
    <div className="tf-address" aria-describedby={p.describedBy}>
      {PARTS.map((part, i) => {
        const id = i === 0 ? p.id : `${p.id}-${part.key}`;
        return (
          <div key={part.key} className={part.key === 'detail' ? 'tf-address-detail' : undefined}>
            <label htmlFor={id} className="tf-sublabel">{t(part.label)}</label>
            <input
              id={id}
              type="text"
              autoComplete={part.autocomplete}
              readOnly={p.state.readOnly}
              aria-invalid={p.invalid || undefined}
              value={v[part.key] ?? ''}
              onChange={(e) => {
                const next: Address = { ...v, [part.key]: e.target.value };
                if (!e.target.value) delete next[part.key];
                p.onChange(Object.keys(next).length ? next : undefined);
              }}
            />
          </div>
        );
      })}
    </div>
  );
}
