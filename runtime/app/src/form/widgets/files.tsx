// Attachment and image fields: choose files, upload each with a progress bar, list or show them.
import { useEffect, useRef, useState } from 'react';
import { errorText } from '../../ui/common';
import { useT } from '../../lib/i18n';
import { useFormCtx, type WidgetProps } from '../form-context';
import { accepts, fileObjectUrl, formatSize, isFileRef, uploadFile, type FileRef } from '../upload';

const IMAGE_ACCEPT = ['image/*'];

interface Pending {
  key: number;
  name: string;
  progress: number;
  error?: string;
}

/** Local previews of files uploaded in this session (no need to fetch them back). */
const localPreviews = new Map<string, string>();

export function FileWidget(p: WidgetProps<FileRef[]>) {
  const t = useT();
  const ctx = useFormCtx();
  const [pending, setPending] = useState<Pending[]>([]);
  const seq = useRef(0);
  const latest = useRef(p.value ?? []);
  latest.current = p.value ?? [];
  const image = p.field.type === 'image';
  const accept = p.field.accept ?? (image ? IMAGE_ACCEPT : undefined);
  const single = !p.field.multiple;
  const files = (p.value ?? []).filter(isFileRef);
  const disabled = p.state.readOnly || ctx.mode !== 'fill';

  async function add(list: FileList | null) {
    if (!list) return;
    const chosen = single ? [...list].slice(0, 1) : [...list];
    for (const file of chosen) {
      const key = ++seq.current;
      const problem =
        !accepts(file.type || 'application/octet-stream', accept) ? t({ en: 'This type of file is not accepted here.', zh: '此处不接受该类型的文件。' })
          : p.field.maxSize !== undefined && file.size > p.field.maxSize ? t({ en: 'The file is larger than {size}.', zh: '文件超过 {size}。' }, { size: formatSize(p.field.maxSize) })
            : undefined;
      setPending((x) => [...x, { key, name: file.name, progress: 0, error: problem }]);
      if (problem) continue;
      ctx.uploading(1);
      try {
        const ref = await uploadFile(file, file.name, {
          shareToken: ctx.shareToken,
          onProgress: (f) => setPending((x) => x.map((u) => (u.key === key ? { ...u, progress: f } : u))),
        });
        if (image || file.type.startsWith('image/')) localPreviews.set(ref.id, URL.createObjectURL(file));
        const next = single ? [ref] : [...latest.current, ref];
        latest.current = next;
        p.onChange(next);
        setPending((x) => x.filter((u) => u.key !== key));
      } catch (err) {
        setPending((x) => x.map((u) => (u.key === key ? { ...u, error: errorText(err, t) } : u)));
      } finally {
        ctx.uploading(-1);
      }
    }
  }

  return (
    <div className="tf-files" aria-describedby={p.describedBy}>
      {files.length > 0 && (
        <ul className={image ? 'tf-thumbs' : 'tf-file-list'}>
          {files.map((f) => (
            <li key={f.id}>
              {image ? <FileImage file={f} /> : <FileLink file={f} />}
              {!disabled && (
                <button type="button" className="btn btn-sm" aria-label={t({ en: 'Remove {name}', zh: '移除 {name}' }, { name: f.name })} onClick={() => p.onChange(files.filter((x) => x.id !== f.id).length ? files.filter((x) => x.id !== f.id) : undefined)}>
                  {t({ en: 'Remove', zh: '移除' })}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {pending.map((u) => (
        <div key={u.key} className="tf-upload" role="status">
          <span className="tf-upload-name">{u.name}</span>
          {u.error ? (
            <>
              <span className="error-text">{u.error}</span>
              <button type="button" className="btn btn-sm" onClick={() => setPending((x) => x.filter((y) => y.key !== u.key))}>{t({ en: 'Dismiss', zh: '关闭' })}</button>
            </>
          ) : (
            <progress max={1} value={u.progress} aria-label={t({ en: 'Uploading {name}', zh: '正在上传 {name}' }, { name: u.name })} />
          )}
        </div>
      ))}
      {ctx.mode === 'preview' ? (
        <input id={p.id} type="file" disabled aria-describedby={p.describedBy} />
      ) : (
        !disabled && (single ? files.length === 0 : true) && (
          <input
            id={p.id}
            type="file"
            className="tf-file-input"
            multiple={!single}
            accept={accept?.join(',')}
            aria-describedby={p.describedBy}
            aria-invalid={p.invalid || undefined}
            aria-required={p.state.required || undefined}
            onChange={(e) => {
              void add(e.target.files);
              e.target.value = '';
            }}
          />
        )
      )}
    </div>
  );
}

/** A link that downloads a permission-checked file (fetched with the session, then saved). */
export function FileLink({ file }: { file: FileRef }) {
  const t = useT();
  const ctx = useFormCtx();
  const [error, setError] = useState<string | null>(null);
  async function open(e: React.MouseEvent) {
    e.preventDefault();
    setError(null);
    try {
      const url = await fileObjectUrl(file, { formId: ctx.formId, recordId: ctx.recordId, taskId: ctx.taskId });
      const a = document.createElement('a');
      a.href = url;
      a.download = file.name;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (err) {
      setError(errorText(err, t));
    }
  }
  return (
    <span className="tf-file">
      <a href={file.url ?? `/api/files/${file.id}`} onClick={open}>{file.name}</a>
      <span className="muted"> · {formatSize(file.size)}</span>
      {error && <span className="error-text"> {error}</span>}
    </span>
  );
}

/** An image file shown inline (fetched with the session). */
export function FileImage({ file, alt }: { file: FileRef; alt?: string }) {
  const ctx = useFormCtx();
  const [src, setSrc] = useState<string | null>(localPreviews.get(file.id) ?? null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (localPreviews.has(file.id) || ctx.mode === 'preview') return;
    const ctl = new AbortController();
    let url: string | null = null;
    fileObjectUrl(file, { formId: ctx.formId, recordId: ctx.recordId, taskId: ctx.taskId }, ctl.signal).then(
      (u) => {
        url = u;
        setSrc(u);
      },
      () => !ctl.signal.aborted && setFailed(true),
    );
    return () => {
      ctl.abort();
      if (url) URL.revokeObjectURL(url);
    };
  }, [file.id, ctx.formId, ctx.recordId, ctx.taskId, ctx.mode]);
  if (failed || !src) return <FileLink file={file} />;
  return <img className="tf-thumb" src={src} alt={alt ?? file.name} />;
}
