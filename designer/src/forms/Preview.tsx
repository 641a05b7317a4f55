// The live preview: the runtime's own renderer (FormView, mode 'preview') in a 360px phone frame,
// fed the definition as it is being edited. A definition with problems keeps the last good preview.
import { Component, useState, type ReactNode } from 'react';
import type { FormDefinition, RecordData } from '@trellis/core';
import { FormView } from '@trellis/app/form/FormView';
import { useT } from '@trellis/app/lib/i18n';

class PreviewBoundary extends Component<{ children: ReactNode; resetKey: string; message: string }, { error: Error | null; key: string }> {
  state = { error: null as Error | null, key: this.props.resetKey };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  static getDerivedStateFromProps(props: { resetKey: string }, state: { key: string }) {
    return props.resetKey !== state.key ? { error: null, key: props.resetKey } : null;
  }
  render() {
    if (this.state.error) return <p className="alert" role="alert">{this.props.message} {this.state.error.message}</p>;
    return this.props.children;
  }
}

export function Preview({ definition, stale }: { definition: FormDefinition | null; stale: boolean }) {
  const t = useT();
  const [value, setValue] = useState<RecordData>({});
  const json = definition ? JSON.stringify(definition) : '';
  return (
    <section className="fd-preview" aria-label={t({ en: 'Preview', zh: '预览' })}>
      <div className="row fd-preview-head">
        <h2 style={{ margin: 0 }}>{t({ en: 'Preview', zh: '预览' })}</h2>
        <span className="spacer" />
        <button type="button" className="btn btn-sm" onClick={() => setValue({})}>{t({ en: 'Clear sample', zh: '清空示例' })}</button>
      </div>
      {stale && <p className="muted fd-preview-note">{t({ en: 'Showing the last version without problems.', zh: '显示最近一个没有问题的版本。' })}</p>}
      <div className="fd-phone">
        <div className="fd-phone-screen">
          {definition ? (
            <PreviewBoundary resetKey={json} message={t({ en: 'The preview failed:', zh: '预览失败：' })}>
              <FormView definition={definition} value={value} onChange={setValue} mode="preview" action="create" />
            </PreviewBoundary>
          ) : (
            <p className="muted center">{t({ en: 'Add fields to see the form.', zh: '添加字段后可预览表单。' })}</p>
          )}
        </div>
      </div>
    </section>
  );
}
