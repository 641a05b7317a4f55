const MAX_NAME = 255;
const MIME_RE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}$/;

/**
 * An uploaded file's name as Trellis keeps it: the last path segment, without
 * control characters or bidi overrides (they disguise extensions), at most 255
 * characters with the extension kept. Null when nothing usable is left.
 */
export function safeFileName(raw: string): string | null {
  let s = raw.normalize('NFC');
  s = s.split(/[/\\]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  s = s.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '').trim();
  if (s === '' || /^\.+$/.test(s)) return null;
  const chars = Array.from(s);
  if (chars.length > MAX_NAME) {
    const dot = s.lastIndexOf('.');
    const ext = dot > 0 && s.length - dot <= 16 ? Array.from(s.slice(dot)) : [];
    s = chars.slice(0, MAX_NAME - ext.length).join('') + ext.join('');
  }
  return s;
}

/** The declared MIME type without parameters, or application/octet-stream when it is not one. */
export function safeMimeType(raw: string | undefined): string {
  const t = (raw ?? '').split(';')[0]!.trim().toLowerCase();
  return MIME_RE.test(t) ? t : 'application/octet-stream';
}

/** `attachment` with an ASCII fallback name and the exact one as RFC 5987 `filename*`. */
export function contentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const exact = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${exact}`;
}
