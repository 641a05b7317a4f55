// The app's name, description, icon (an emoji or short text) and colour: PATCH /api/apps/:appId.
import { useId, useState, type FormEvent } from 'react';
import type { AppInput } from '@trellis/core';
import { patch } from '@trellis/app/lib/api';
import { useT } from '@trellis/app/lib/i18n';
import { ErrorBox } from '@trellis/app/ui/common';
import { labelParts, partsToLabel, type AppInfo } from '../../org/org-data';
import { LabelFields, useAction } from '../../org/ui';

const ICONS = ['📋', '🛒', '📦', '🏭', '🤝', '💰', '📈', '🧾', '🚚', '👥', '🛠️', '📅'];
const COLORS = ['#1f6feb', '#2ea121', '#de7802', '#d83931', '#8e44ad', '#00a2ae', '#646a73'];

export function AppGeneral({ app, canEdit, onSaved }: { app: AppInfo; canEdit: boolean; onSaved: (a: AppInfo) => void }) {
  const t = useT();
  const id = useId();
  const [name, setName] = useState(labelParts(app.name));
  const [description, setDescription] = useState(labelParts(app.description));
  const [icon, setIcon] = useState(app.icon ?? '');
  const [color, setColor] = useState(app.color ?? COLORS[0]!);
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState(false);
  const [version, setVersion] = useState(app.version);
  const save = useAction();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setProblem(null);
    setNotice(false);
    if (!name.en.trim() && !name.zh.trim()) return setProblem(t({ en: 'Give the app a name.', zh: '请填写应用名称。' }));
    const body: Partial<AppInput> & { version: number } = { name: partsToLabel(name), icon: icon.trim(), color, version };
    const desc = partsToLabel(description);
    if (desc !== '' || app.description !== undefined) body.description = desc;
    await save.run(async () => {
      const saved = await patch<AppInfo>(`/api/apps/${app.id}`, body);
      setVersion(saved.version);
      setNotice(true);
      onSaved(saved);
    });
  }

  return (
    <form className="card" onSubmit={submit} aria-label={t({ en: 'General', zh: '基本信息' })}>
      <div className="row" style={{ marginBottom: 12 }}>
        <span className="settings-preview" style={{ background: color }} aria-hidden="true">{icon || '📋'}</span>
        <h2 style={{ margin: 0 }}>{t({ en: 'General', zh: '基本信息' })}</h2>
      </div>
      <fieldset disabled={!canEdit} style={{ border: 'none', padding: 0, margin: 0 }}>
        <LabelFields value={name} onChange={setName} what={{ en: 'App name', zh: '应用名称' }} />
        <LabelFields value={description} onChange={setDescription} what={{ en: 'Description', zh: '说明' }} />
        <div className="org-two">
          <div className="field">
            <label htmlFor={`${id}-icon`}>{t({ en: 'Icon', zh: '图标' })}</label>
            <input id={`${id}-icon`} maxLength={100} value={icon} onChange={(e) => setIcon(e.target.value)} aria-describedby={`${id}-icon-help`} />
            <div className="help" id={`${id}-icon-help`}>{t({ en: 'An emoji or a short text; or pick one:', zh: '一个表情符号或简短文字；也可从下面选择：' })}</div>
            <div className="settings-icons">
              {ICONS.map((i) => (
                <button key={i} type="button" className="settings-icon" aria-pressed={icon === i} aria-label={t({ en: 'Use icon {icon}', zh: '使用图标 {icon}' }, { icon: i })} onClick={() => setIcon(i)}>
                  {i}
                </button>
              ))}
            </div>
          </div>
          <div className="field">
            <span className="label" id={`${id}-color`} style={{ display: 'block', fontWeight: 500, marginBottom: 4 }}>{t({ en: 'Colour', zh: '颜色' })}</span>
            <div className="settings-icons" role="group" aria-labelledby={`${id}-color`}>
              {COLORS.map((c) => (
                <button key={c} type="button" className="settings-swatch" style={{ background: c }} aria-pressed={color === c} aria-label={t({ en: 'Colour {c}', zh: '颜色 {c}' }, { c })} onClick={() => setColor(c)} />
              ))}
            </div>
          </div>
        </div>
        {problem && <p className="alert" role="alert">{problem}</p>}
        {save.error !== null && <ErrorBox error={save.error} />}
        {notice && <p className="alert alert-success" role="status">{t({ en: 'App saved.', zh: '应用已保存。' })}</p>}
        {canEdit && (
          <div className="row">
            <span className="spacer" />
            <button type="submit" className="btn btn-primary" disabled={save.busy}>{t({ en: 'Save app', zh: '保存应用' })}</button>
          </div>
        )}
      </fieldset>
    </form>
  );
}
