import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { t } from '../ui-shared/i18n/index.js';

const CODE_LENGTH = 8;

/**
 * Digits typed on a large keypad (96 px keys) and shown in boxes: a check-in code, a mobile number.
 * A keyboard works too, and so does a kiosk's built-in scanner, which types what it reads and
 * then Enter (USB HID, "keyboard wedge"): digits fill the boxes, Enter submits; a scanned text
 * that is not bare digits goes to `fromScan`, which finds the digits in it (a booking QR's URL).
 * Enter with nothing typed is left alone: it activates the focused button.
 */
export function DigitPad({ length, title, hint, label, submitLabel, busy, onDigits, onCancel, fromScan }: {
  length: number; title: string; hint: string; label: string; submitLabel: string; busy: boolean; onDigits: (digits: string) => void; onCancel: () => void;
  fromScan?: (text: string) => string | null;
}) {
  const [digits, setDigits] = useState('');
  const press = (d: string) => setDigits((c) => (c.length < length ? c + d : c));
  const typed = useRef('');
  const latest = useRef({ digits, busy, onDigits, fromScan });
  latest.current = { digits, busy, onDigits, fromScan };
  // Listening from the moment the boxes are on the screen (a layout effect, not after the next
  // paint): a scanner types at once, and its first characters must not be lost.
  useLayoutEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === 'Enter') {
        const text = typed.current;
        typed.current = '';
        if (text === '') return;
        e.preventDefault();
        const now = latest.current;
        const value = /^\d+$/.test(text) ? (text.length === length ? text : now.digits) : now.fromScan?.(text) ?? null;
        if (value === null || value.length !== length || now.busy) return;
        setDigits(value);
        now.onDigits(value);
      } else if (e.key === 'Backspace') {
        typed.current = typed.current.slice(0, -1);
        setDigits((c) => c.slice(0, -1));
      } else if (e.key.length === 1) {
        typed.current += e.key;
        // Digits typed by hand fill the boxes; a scanned URL's digits (host, port) do not.
        if (/^\d+$/.test(typed.current)) press(e.key);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [length]);
  return (
    <>
      <h1 class="pick">{title}</h1>
      <p class="checkin-hint">{hint}</p>
      <output class={`code-box ${length > 8 ? 'long' : ''}`} data-testid="code-box" aria-label={label}>
        {Array.from({ length }, (_, i) => <span key={i} class={i < digits.length ? 'filled' : ''}>{digits[i] ?? ''}</span>)}
      </output>
      <div class="keypad">
        {['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((d) => <button type="button" key={d} data-testid={`key-${d}`} onClick={() => press(d)}>{d}</button>)}
        <button type="button" class="key-soft" onClick={() => setDigits('')}>{t('kiosk.clear')}</button>
        <button type="button" data-testid="key-0" onClick={() => press('0')}>0</button>
        <button type="button" class="key-soft" aria-label={t('kiosk.delete')} onClick={() => setDigits((c) => c.slice(0, -1))}>⌫</button>
      </div>
      <div class="checkin-actions">
        <button type="button" class="ghost" onClick={onCancel}>{t('common.cancel')}</button>
        <button type="button" class="primary" data-testid="pad-submit" disabled={digits.length !== length || busy} onClick={() => onDigits(digits)}>{submitLabel}</button>
      </div>
    </>
  );
}

/**
 * 预约签到: the citizen types the 8-digit code on a large keypad, or, where the browser can read
 * QR codes from the camera (BarcodeDetector), shows the QR of their booking.
 */
/** `booking`: 预约签到 with the booking's code; `arrival`: 在线排队 到厅确认 with the number's arrival code. */
export function CheckIn({ busy, onCode, onCancel, mode = 'booking' }: { busy: boolean; onCode: (code: string) => void; onCancel: () => void; mode?: 'booking' | 'arrival' }) {
  const [scanning, setScanning] = useState(false);
  const video = useRef<HTMLVideoElement>(null);
  const canScan = 'BarcodeDetector' in window && !!navigator.mediaDevices?.getUserMedia;
  useEffect(() => {
    if (!scanning) return;
    let stream: MediaStream | null = null;
    let stop = false;
    type Detector = { detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]> };
    const Detector = (window as unknown as { BarcodeDetector: new (o: { formats: string[] }) => Detector }).BarcodeDetector;
    const detector = new Detector({ formats: ['qr_code'] });
    void navigator.mediaDevices.getUserMedia({ video: { facingMode: 'user' } }).then(async (s) => {
      stream = s;
      if (!video.current) return;
      video.current.srcObject = s;
      await video.current.play();
      while (!stop) {
        const found = (await detector.detect(video.current).catch(() => [])).map((b) => /(\d{8})/.exec(b.rawValue)?.[1]).find(Boolean);
        if (found) return onCode(found);
        await new Promise((r) => setTimeout(r, 300));
      }
    }, () => setScanning(false));
    return () => {
      stop = true;
      stream?.getTracks().forEach((tr) => tr.stop());
    };
  }, [scanning]);
  return (
    <main class="checkin" data-testid={mode === 'booking' ? 'checkin' : 'arrival'}>
      <DigitPad
        length={CODE_LENGTH} title={t(mode === 'booking' ? 'kiosk.checkInTitle' : 'kiosk.arriveTitle')} hint={t(mode === 'booking' ? 'kiosk.checkInHint' : 'kiosk.arriveHint')}
        label={t(mode === 'booking' ? 'book.code' : 'kiosk.arrivalCode')}
        submitLabel={t(mode === 'booking' ? 'kiosk.checkInSubmit' : 'kiosk.arriveSubmit')} busy={busy} onDigits={onCode} onCancel={onCancel}
        fromScan={(text) => /code=(\d{8})(?!\d)/.exec(text)?.[1] ?? null}
      />
      {canScan && (
        <div class="scan">
          {scanning ? <video ref={video} class="scan-video" muted playsInline /> : <button type="button" class="ghost" onClick={() => setScanning(true)}>{t('kiosk.scanCode')}</button>}
        </div>
      )}
    </main>
  );
}

