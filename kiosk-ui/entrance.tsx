import QRCode from 'qrcode';
import { useEffect, useState } from 'preact/hooks';
import type { TicketView } from '../protocol/tickets.js';
import { api } from '../ui-shared/api.js';
import { t } from '../ui-shared/i18n/index.js';

/** The day's entrance code is new each business day: the kiosk asks again this often. */
const REFRESH_MS = 10 * 60_000;

/**
 * 在线排队 到厅确认 at the entrance: the hall's QR code of the day, which a citizen who took their
 * number online scans with their phone (the phone page confirms the arrival), and its digits.
 */
export function EntranceCode({ hallId }: { hallId: number }) {
  const [entrance, setEntrance] = useState<{ code: string; svg: string } | null>(null);
  useEffect(() => {
    let stopped = false;
    const load = async () => {
      try {
        const { code, path } = await api('GET /halls/:hallId/entrance', { hallId });
        const svg = await QRCode.toString(`${location.origin}${path}`, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
        if (!stopped) setEntrance({ code, svg });
      } catch {
        // Kept as it was: the next round asks again.
      }
    };
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [hallId]);
  if (!entrance) return null;
  return (
    <aside class="entrance-code" data-testid="entrance-code">
      <div class="qr" role="img" aria-label={t('kiosk.entranceQr')} dangerouslySetInnerHTML={{ __html: entrance.svg }} />
      <div>
        <strong>{t('kiosk.entranceTitle')}</strong>
        <p>{t('kiosk.entranceHint')}</p>
        <p class="entrance-digits">{t('kiosk.entranceDigits', { code: entrance.code })}</p>
      </div>
    </aside>
  );
}

/** Said after an arrival is confirmed: the number, and that it will be called. */
export function Arrived({ ticket, onHome }: { ticket: TicketView; onHome: () => void }) {
  useEffect(() => {
    const timer = setTimeout(onHome, 15_000);
    return () => clearTimeout(timer);
  }, [onHome]);
  return (
    <main class="arrived" role="status" data-testid="arrived">
      <h1>{t('kiosk.arrived', { number: ticket.displayNumber })}</h1>
      <p>{t('kiosk.arrivedHint')}</p>
      <button type="button" class="tool" onClick={onHome}>{t('kiosk.backHome')}</button>
    </main>
  );
}
