// Barcode / QR code: typed by hand, or read through the camera where the browser has BarcodeDetector.
import { useEffect, useRef, useState } from 'react';
import { useT } from '../../lib/i18n';
import type { WidgetProps } from '../form-context';

interface Detector {
  detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]>;
}
type DetectorClass = new (opts?: { formats?: string[] }) => Detector;

function detectorClass(): DetectorClass | null {
  const c = (window as unknown as { BarcodeDetector?: DetectorClass }).BarcodeDetector;
  return c && typeof navigator.mediaDevices?.getUserMedia === 'function' ? c : null;
}

export function BarcodeWidget(p: WidgetProps<string>) {
  const t = useT();
  const [scanning, setScanning] = useState(false);
  const canScan = detectorClass() !== null && !p.state.readOnly;
  return (
    <div className="tf-barcode">
      <div className="tf-affix">
        <input
          id={p.id}
          type="text"
          autoComplete="off"
          readOnly={p.state.readOnly}
          aria-describedby={p.describedBy}
          aria-invalid={p.invalid || undefined}
          aria-required={p.state.required || undefined}
          placeholder={t({ en: 'Type or scan the code', zh: '输入或扫描编码' })}
          value={p.value ?? ''}
          onChange={(e) => p.onChange(e.target.value === '' ? undefined : e.target.value)}
        />
        {canScan && (
          <button type="button" className="btn" onClick={() => setScanning(true)}>
            {t({ en: 'Scan', zh: '扫码' })}
          </button>
        )}
      </div>
      {scanning && (
        <Scanner
          label={p.label}
          onResult={(code) => {
            p.onChange(code);
            setScanning(false);
          }}
          onClose={() => setScanning(false)}
        />
      )}
    </div>
  );
}

function Scanner({ label, onResult, onClose }: { label: string; onResult(code: string): void; onClose(): void }) {
  const t = useT();
  const video = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const Cls = detectorClass();
    if (!Cls) return;
    let stream: MediaStream | null = null;
    let timer = 0;
    let stopped = false;
    const detector = new Cls();
    navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false }).then(
      async (s) => {
        if (stopped) return s.getTracks().forEach((tr) => tr.stop());
        stream = s;
        const v = video.current!;
        v.srcObject = s;
        await v.play().catch(() => undefined);
        const tick = async () => {
          if (stopped) return;
          try {
            const found = await detector.detect(v);
            const code = found.find((f) => f.rawValue)?.rawValue;
            if (code) return onResult(code);
          } catch {
            /* a frame that could not be read: try the next */
          }
          timer = window.setTimeout(() => void tick(), 250);
        };
        void tick();
      },
      () => setError(t({ en: 'The camera is not available. Type the code instead.', zh: '无法使用摄像头，请手动输入编码。' })),
    );
    return () => {
      stopped = true;
      clearTimeout(timer);
      stream?.getTracks().forEach((tr) => tr.stop());
    };
  }, []);
  return (
    <div className="tf-scanner" role="dialog" aria-modal="true" aria-label={t({ en: 'Scan {label}', zh: '扫描 {label}' }, { label })}>
      <video ref={video} className="tf-scanner-video" muted playsInline />
      {error && <div className="alert" role="alert">{error}</div>}
      <button type="button" className="btn btn-block" onClick={onClose} autoFocus>{t({ en: 'Cancel', zh: '取消' })}</button>
    </div>
  );
}
