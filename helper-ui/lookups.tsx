import { useState } from 'preact/hooks';
import type { TicketView } from '../protocol/tickets.js';
import { api } from '../ui-shared/api.js';
import { t } from '../ui-shared/i18n/index.js';

/** 补正后再来: the earlier visits (finished with 补正) found by their number, to continue one. */
export function Returning({ hallId, busy, run, onContinue }: {
  hallId: number;
  busy: boolean;
  run: (send: () => Promise<void>) => Promise<void>;
  onContinue: (earlier: TicketView) => void;
}) {
  const [earlierNumber, setEarlierNumber] = useState('');
  const [earlier, setEarlier] = useState<TicketView[] | null>(null);
  const find = () => run(async () => {
    setEarlier(await api('GET /halls/:hallId/tickets', { hallId, displayNumber: earlierNumber.trim(), outcome: 'supplement', status: 'done', limit: 5 }));
  });
  return (
    <>
      <form class="checkin-row" onSubmit={(e) => {
        e.preventDefault();
        void find();
      }}>
        <label class="field"><span>{t('helper.returning')}</span>
          <input name="earlierNumber" autoComplete="off" maxLength={5} value={earlierNumber} placeholder="A023" onInput={(e) => setEarlierNumber(e.currentTarget.value)} />
        </label>
        <button type="submit" class="ghost" disabled={busy || earlierNumber.trim() === ''}>{t('helper.find')}</button>
      </form>
      {earlier && (earlier.length === 0 ? <p class="hint" role="status">{t('helper.noEarlier')}</p> : (
        <ul class="earlier" data-testid="earlier">
          {earlier.map((x) => (
            <li key={x.id}>
              <button type="button" class="ghost" disabled={busy} onClick={() => onContinue(x)}>
                {t('helper.continue', { number: x.displayNumber, day: x.businessDay })}
              </button>
            </li>
          ))}
        </ul>
      ))}
    </>
  );
}

/** 预约签到 for a citizen: their 8-digit code, typed. */
export function CheckInRow({ busy, onCode }: { busy: boolean; onCode: (code: string) => void }) {
  const [code, setCode] = useState('');
  const digits = code.replace(/\s/g, '');
  return (
    <form class="checkin-row" onSubmit={(e) => {
      e.preventDefault();
      onCode(digits);
    }}>
      <label class="field"><span>{t('kiosk.checkIn')}</span>
        <input name="code" inputMode="numeric" autoComplete="off" maxLength={9} value={code} placeholder="12345678" onInput={(e) => setCode(e.currentTarget.value)} />
      </label>
      <button type="submit" class="primary" disabled={busy || digits.length !== 8}>{t('kiosk.checkInSubmit')}</button>
    </form>
  );
}
