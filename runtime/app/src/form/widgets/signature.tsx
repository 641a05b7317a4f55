// Signature pad: draw with a finger, pen or mouse (pointer events), saved as a PNG upload.
import { useEffect, useRef, useState } from 'react';
import { errorText } from '../../ui/common';
import { useT } from '../../lib/i18n';
import { useFormCtx, type WidgetProps } from '../form-context';
import { isFileRef, uploadFile, type FileRef } from '../upload';
import { FileImage } from './files';

export function SignatureWidget(p: WidgetProps<FileRef[]>) {
  const t = useT();
  const ctx = useFormCtx();
  const saved = (p.value ?? []).filter(isFileRef)[0];
  const [drawing, setDrawing] = useState(!saved);
  const [empty, setEmpty] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const last = useRef<{ x: number; y: number } | null>(null);
  const disabled = p.state.readOnly || ctx.mode !== 'fill';

  useEffect(() => {
    const c = canvas.current;
    if (!c || !drawing) return;
    // the bitmap follows the element's size and the screen's density, so strokes stay sharp
    const ratio = window.devicePixelRatio || 1;
    const box = c.getBoundingClientRect();
    c.width = Math.max(1, Math.round(box.width * ratio));
    c.height = Math.max(1, Math.round(box.height * ratio));
    const g = c.getContext('2d');
    if (!g) return;
    g.scale(ratio, ratio);
    g.lineWidth = 2.5;
    g.lineCap = 'round';
    g.lineJoin = 'round';
    g.strokeStyle = '#1f2329';
    g.fillStyle = '#ffffff';
    g.fillRect(0, 0, box.width, box.height);
    setEmpty(true);
  }, [drawing]);

  function point(e: React.PointerEvent<HTMLCanvasElement>) {
    const box = e.currentTarget.getBoundingClientRect();
    return { x: e.clientX - box.left, y: e.clientY - box.top };
  }
  function down(e: React.PointerEvent<HTMLCanvasElement>) {
    if (disabled) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    last.current = point(e);
    const g = e.currentTarget.getContext('2d');
    if (g) {
      g.beginPath();
      g.arc(last.current.x, last.current.y, 1.2, 0, Math.PI * 2);
      g.fillStyle = '#1f2329';
      g.fill();
    }
    setEmpty(false);
  }
  function move(e: React.PointerEvent<HTMLCanvasElement>) {
    if (!last.current) return;
    const g = e.currentTarget.getContext('2d');
    const to = point(e);
    if (g) {
      g.beginPath();
      g.moveTo(last.current.x, last.current.y);
      g.lineTo(to.x, to.y);
      g.stroke();
    }
    last.current = to;
  }
  function up() {
    last.current = null;
  }
  function clear() {
    const c = canvas.current;
    const g = c?.getContext('2d');
    if (!c || !g) return;
    const box = c.getBoundingClientRect();
    g.fillStyle = '#ffffff';
    g.fillRect(0, 0, box.width, box.height);
    setEmpty(true);
  }
  async function save() {
    const c = canvas.current;
    if (!c) return;
    setBusy(true);
    setError(null);
    ctx.uploading(1);
    try {
      const blob = await new Promise<Blob>((resolve, reject) => c.toBlob((b) => (b ? resolve(b) : reject(new Error('The drawing could not be saved'))), 'image/png'));
      const ref = await uploadFile(new File([blob], 'signature.png', { type: 'image/png' }), 'signature.png', { shareToken: ctx.shareToken });
      p.onChange([ref]);
      setDrawing(false);
    } catch (err) {
      setError(errorText(err, t));
    } finally {
      ctx.uploading(-1);
      setBusy(false);
    }
  }

  if (saved && !drawing) {
    return (
      <div className="tf-signature" id={p.id} aria-describedby={p.describedBy}>
        <FileImage file={saved} alt={t({ en: 'Signature', zh: '签名' })} />
        {!disabled && (
          <div className="row">
            <button type="button" className="btn" onClick={() => setDrawing(true)}>{t({ en: 'Sign again', zh: '重新签名' })}</button>
            <button type="button" className="btn" onClick={() => p.onChange(undefined)}>{t({ en: 'Remove signature', zh: '删除签名' })}</button>
          </div>
        )}
      </div>
    );
  }
  return (
    <div className="tf-signature">
      <canvas
        ref={canvas}
        id={p.id}
        className="tf-signature-pad"
        role="img"
        tabIndex={disabled ? -1 : 0}
        aria-label={t({ en: '{label}: draw your signature here', zh: '{label}：在此处手写签名' }, { label: p.label })}
        aria-describedby={p.describedBy}
        aria-invalid={p.invalid || undefined}
        onPointerDown={down}
        onPointerMove={move}
        onPointerUp={up}
        onPointerCancel={up}
      />
      {!disabled && (
        <div className="row">
          <button type="button" className="btn" onClick={clear} disabled={empty || busy}>{t({ en: 'Clear', zh: '清除' })}</button>
          <button type="button" className="btn btn-primary" onClick={() => void save()} disabled={empty || busy}>
            {busy ? t({ en: 'Saving…', zh: '保存中…' }) : t({ en: 'Save signature', zh: '保存签名' })}
          </button>
          {saved && <button type="button" className="btn" onClick={() => setDrawing(false)}>{t({ en: 'Cancel', zh: '取消' })}</button>}
        </div>
      )}
      {error && <div className="error-text" role="alert">{error}</div>}
    </div>
  );
}
