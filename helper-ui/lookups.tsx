import { useState } from 'preact/hooks';
import type { TicketView } from '../protocol/tickets.js';
import { api } from '../ui-shared/api.js';
import { t } from '../ui-shared/i18n/index.js';

/**
 * 补正后再来: the earlier visits (finished with 补正) found by their number. The one chosen (the
 * only one found is chosen at once) links the number the helper takes next: one tap on a service.
 */
export function Returning({ hallId, busy, run, chosen, onChoose }: {
  hallId: number;
  busy: boolean;
  run: (send: () => Promise<void>) => Promise<void>;
  chosen: TicketView | null;
  onChoose: (earlier: TicketView | null) => void;
}) {
  const [earlierNumber, setEarlierNumber] = useState('');
  const [earlier, setEarlier] = useState<TicketView[] | null>(null);
  const find = () => run(async () => {
    const found = await api('GET /halls/:hallId/tickets', { hallId, displayNumber: earlierNumber.trim(), outcome: 'supplement', status: 'done', limit: 5 });
    setEarlier(found);
    onChoose(found.length === 1 ? found[0]! : null);
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
      {earlier && (earlier.length === 0 ? <p class="hint" role="status">{t('helper.noEarlier')}</p> : earlier.length > 1 && (
        <fieldset class="earlier" data-testid="earlier">
          <legend>{t('helper.whichEarlier')}</legend>
          {earlier.map((x) => (
            <button
              type="button" key={x.id} class={chosen?.id === x.id ? 'chip on' : 'chip'} aria-pressed={chosen?.id === x.id} disabled={busy}
              onClick={() => onChoose(x)}
            >
              {t('helper.earlierChoice', { number: x.displayNumber, day: x.businessDay })}
            </button>
          ))}
        </fieldset>
      ))}
    </>
  );
}

/** 预约签到 for a citizen (their booking's 8-digit code), or 在线排队 到厅确认 (their number's arrival code), typed. */
export function CheckInRow({ busy, onCode, mode = 'booking' }: { busy: boolean; onCode: (code: string) => void; mode?: 'booking' | 'arrival' }) {
  const [code, setCode] = useState('');
  const digits = code.replace(/\s/g, '');
  return (
    <form class="checkin-row" data-testid={`helper-${mode}`} onSubmit={(e) => {
      e.preventDefault();
      onCode(digits);
    }}>
      <label class="field"><span>{t(mode === 'booking' ? 'kiosk.checkIn' : 'kiosk.arriveTitle')}</span>
        <input name="code" inputMode="numeric" autoComplete="off" maxLength={9} value={code} placeholder="12345678" onInput={(e) => setCode(e.currentTarget.value)} />
      </label>
      <button type="submit" class="primary" disabled={busy || digits.length !== 8}>{t(mode === 'booking' ? 'kiosk.checkInSubmit' : 'kiosk.arriveSubmit')}</button>
    </form>
  );
}
