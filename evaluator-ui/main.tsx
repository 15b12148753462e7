import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import type { DeviceSelf } from '../protocol/devices.js';
import type { EvaluatorCurrent } from '../protocol/evaluations.js';
import { api } from '../ui-shared/api.js';
import { Clock, ConnectionOverlay, Emblem, LangSwitch } from '../ui-shared/components.js';
import { pairedToken } from '../ui-shared/device.js';
import { mountDevicePage } from '../ui-shared/device-page.js';
import { errorText } from '../ui-shared/errors.js';
import { debounce, useFeed } from '../ui-shared/feed.js';
import { t, useLang } from '../ui-shared/i18n/index.js';
import { type Rating, RatingForm } from '../ui-shared/rating.js';
import '../ui-shared/base.css';
import '../ui-shared/rating.css';
import './evaluator.css';

const THANKS_MS = 5000;
// The rating screen times out on the server; while it is up, ask now and then.
const REFRESH_MS = 10_000;

function Evaluator({ self }: { self: DeviceSelf }) {
  useLang();
  const [current, setCurrent] = useState<EvaluatorCurrent | null>(null);
  const [thanks, setThanks] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const fetchCurrent = useCallback(async () => setCurrent(await api('GET /evaluator/current')), []);
  const load = useCallback(async (serverLastSeq: number) => {
    await fetchCurrent();
    return { lastSeq: serverLastSeq };
  }, [fetchCurrent]);
  const refresh = useMemo(() => debounce(() => void fetchCurrent().catch((err: unknown) => setError(errorText(err))), 200), [fetchCurrent]);
  // Every event may change this window's state; the server says what to show.
  const status = useFeed({ auth: { token: pairedToken()! }, load, onEvent: refresh });

  useEffect(() => {
    if (current?.phase !== 'rating') return;
    const timer = setInterval(refresh, REFRESH_MS);
    return () => clearInterval(timer);
  }, [current?.phase, refresh]);

  async function rate(r: Rating) {
    if (!current?.ticket) return;
    setBusy(true);
    setError(null);
    try {
      await api('POST /evaluator/evaluations', { ticketId: current.ticket.id, level: r.level, tags: r.tags, ...(r.comment ? { comment: r.comment } : {}) });
      setThanks(true);
      setTimeout(() => setThanks(false), THANKS_MS);
      await fetchCurrent();
    } catch (err) {
      setError(errorText(err));
      await fetchCurrent().catch((again: unknown) => setError(`${errorText(err)} ${errorText(again)}`));
    } finally {
      setBusy(false);
    }
  }

  const w = current?.window;
  return (
    <div class="evaluator">
      <header class="bar">
        <Emblem />
        <div class="bar-title">{self.hall.name}{w ? ` · ${t('counter.window', { n: w.number })}` : ''}</div>
        <Clock timeZone={self.hall.timezone} />
        <LangSwitch />
      </header>
      <main data-testid={`phase-${thanks ? 'thanks' : current?.phase ?? 'loading'}`}>
        {thanks ? (
          <div class="big">{t('rate.thanks')}</div>
        ) : current?.phase === 'rating' ? (
          <>
            <div class="who">{current.ticket?.displayNumber} · {w?.staffName}</div>
            <RatingForm onSubmit={(r) => void rate(r)} withText={false} busy={busy} />
            {error && <div class="error-banner">{error}</div>}
          </>
        ) : w && w.staffName ? (
          <div class="staff">
            <div class="label">{current?.phase === 'serving' ? t('evaluator.serving') : t('evaluator.welcome')}</div>
            <div class="name">{w.staffName}</div>
            {current?.ticket && <div class="ticket">{current.ticket.displayNumber}</div>}
          </div>
        ) : (
          <div class="big muted">{t('evaluator.closed')}</div>
        )}
      </main>
      <ConnectionOverlay status={status} />
    </div>
  );
}

mountDevicePage('evaluator', 'evaluator.unpaired', (self) => <Evaluator self={self} />);
