// The permission matrix of one role over the forms of one app: per form, its permission groups.
import { useT } from '@trellis/app/lib/i18n';
import { formShape, type FormInfo } from '../../org/org-data';
import { emptyGroup, type GroupDraft } from './grants';
import { GrantGroup } from './GrantGroup';

interface Props {
  forms: FormInfo[];
  value: Record<string, GroupDraft[]>;
  onChange: (formId: string, groups: GroupDraft[]) => void;
  showProblems: boolean;
}

/** the schema allows up to 20 groups per form */
const MAX_GROUPS = 20;

export function FormPermissions({ forms, value, onChange, showProblems }: Props) {
  const t = useT();
  if (forms.length === 0) return <p className="muted">{t({ en: 'This app has no forms yet.', zh: '该应用还没有表单。' })}</p>;
  return (
    <div className="stack">
      {forms.map((f) => {
        const shape = formShape(f);
        const name = t(shape.name);
        const groups = value[f.id] ?? [];
        const set = (i: number, g: GroupDraft) => onChange(f.id, groups.map((x, j) => (j === i ? g : x)));
        return (
          <section key={f.id} className="perm-form" aria-label={t({ en: 'Permissions on {form}', zh: '{form} 的权限' }, { form: name })}>
            <div className="row">
              <h4 style={{ margin: 0 }}>{name}</h4>
              {groups.length === 0 && <span className="tag">{t({ en: 'No access', zh: '无权限' })}</span>}
              <span className="spacer" />
              <button type="button" className="btn btn-sm" disabled={groups.length >= MAX_GROUPS} onClick={() => onChange(f.id, [...groups, emptyGroup()])}>
                {groups.length === 0 ? t({ en: 'Grant access to {form}', zh: '授予 {form} 的权限' }, { form: name }) : t({ en: 'Add permission group', zh: '添加权限组' })}
              </button>
            </div>
            {groups.length > 1 && <p className="muted perm-note">{t({ en: 'Groups add up: an action is allowed on the records of every group that allows it.', zh: '权限组叠加生效：某操作在允许它的各组范围内的记录上均可执行。' })}</p>}
            {groups.map((g, i) => (
              <GrantGroup
                key={i}
                index={i}
                group={g}
                fields={shape.fields}
                showProblems={showProblems}
                onChange={(next) => set(i, next)}
                onRemove={() => onChange(f.id, groups.filter((_, j) => j !== i))}
              />
            ))}
          </section>
        );
      })}
    </div>
  );
}
