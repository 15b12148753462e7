import { useCallback, useMemo, useState } from 'preact/hooks';
import type { CallerAnswer, CallerKey } from '../protocol/caller.js';
import type { DeviceSelf } from '../protocol/devices.js';
import { ApiError, api } from '../ui-shared/api.js';
import { ConnectionOverlay, Emblem, LangSwitch } from '../ui-shared/components.js';
import { pairedToken } from '../ui-shared/device.js';
import { mountDevicePage } from '../ui-shared/device-page.js';
import { Dialog } from '../ui-shared/dialog.js';
import { errorText } from '../ui-shared/errors.js';
import { debounce, useFeed } from '../ui-shared/feed.js';
import { type Key, t, useLang } from '../ui-shared/i18n/index.js';
import '../ui-shared/base.css';
import './caller.css';

/** The keys in the order of a 呼叫器's face: 呼叫 first and widest. */
const KEYS: readonly Exclude<CallerKey, 'status'>[] = ['call', 'recall', 'start', 'finish', 'no_show', 'transfer', 'pause', 'rate'];

/** A refusal's own display lines when the server gives them, else the error in plain words. */
function refusalLines(err: unknown): [string, string] {
  const lines = err instanceof ApiError && typeof err.details === 'object' && err.details !== null && 'lines' in err.details ? err.details.lines : null;
  return Array.isArray(lines) && lines.length === 2 ? [String(lines[0]), String(lines[1])] : [errorText(err), ''];
}

/**
 * 虚拟呼叫器: the window's keypad on a phone or tablet. Each key goes through the same contract as a
 * hardware keypad (`POST /caller/keys`), and the two lines show what its display would.
 */
function Caller({ self }: { self: DeviceSelf }) {
  useLang();
  const [state, setState] = useState<CallerAnswer | null>(null);
  const [lines, setLines] = useState<[string, string] | null>(null);
  const [refused, setRefused] = useState(false);
  const [busy, setBusy] = useState(false);
  const [transferring, setTransferring] = useState(false);
  const [target, setTarget] = useState('');

  const fetchState = useCallback(async () => {
    const answer = await api('GET /caller/state');
    setState(answer);
    return answer;
  }, []);
  const load = useCallback(async (serverLastSeq: number) => {
    const answer = await fetchState();
    setLines(answer.lines);
    setRefused(false);
    return { lastSeq: serverLastSeq };
  }, [fetchState]);
  // The window changes from elsewhere too (the counter page, a transfer to it): the display follows.
  const refresh = useMemo(() => debounce(() => void fetchState().then((a) => {
    setLines(a.lines);
    setRefused(false);
  }, (err: unknown) => setLines(refusalLines(err))), 200), [fetchState]);
  const status = useFeed({ auth: { token: pairedToken()! }, load, onEvent: refresh });

  async function press(key: CallerKey, extra: { windowNumber?: string } = {}) {
    if (busy) return;
    setBusy(true);
    try {
      const answer = await api('POST /caller/keys', { key, ...extra });
      setState(answer);
      setLines(answer.lines);
      setRefused(false);
    } catch (err) {
      setLines(refusalLines(err));
      setRefused(true);
    } finally {
      setBusy(false);
    }
  }
  const label = (key: (typeof KEYS)[number]) => (key === 'pause' && state?.window.state === 'paused' ? t('caller.key.resume') : t(`caller.key.${key}` as Key));

  return (
    <div class="caller">
      <header class="bar">
        <Emblem />
        <div class="bar-title">
          <strong>{t('caller.title', { n: self.windowNumber ?? '' })}</strong>
          <span>{state?.window.staffName ?? t('caller.nobody')}</span>
        </div>
        <LangSwitch />
      </header>
      <output class={refused ? 'lcd refused' : 'lcd'} data-testid="lcd" aria-live="polite">
        <span data-testid="lcd-1">{lines?.[0] ?? '…'}</span>
        <span data-testid="lcd-2">{lines?.[1] ?? ''}</span>
      </output>
      <main class="keys">
        {KEYS.map((key) => (
          <button
            type="button" key={key} class={key === 'call' ? 'key primary' : 'key'} data-testid={`key-${key}`} disabled={busy}
            onClick={() => (key === 'transfer' ? setTransferring(true) : void press(key))}
          >
            {label(key)}
          </button>
        ))}
      </main>
      {transferring && (
        <Dialog label={t('caller.transferTitle')} onClose={() => setTransferring(false)} testId="transfer">
          <form onSubmit={(e) => {
            e.preventDefault();
            setTransferring(false);
            void press('transfer', { windowNumber: target.trim() });
            setTarget('');
          }}>
            <label class="field"><span>{t('caller.windowNumber')}</span>
              <input name="windowNumber" inputMode="numeric" autoComplete="off" maxLength={10} value={target} autoFocus onInput={(e) => setTarget(e.currentTarget.value)} />
            </label>
            <div class="row">
              <button type="submit" class="key primary" disabled={target.trim() === ''}>{t('caller.key.transfer')}</button>
              <button type="button" class="key" onClick={() => setTransferring(false)}>{t('common.cancel')}</button>
            </div>
          </form>
        </Dialog>
      )}
      <ConnectionOverlay status={status} />
    </div>
  );
}

mountDevicePage('caller', 'caller.unpaired', (self) => <Caller self={self} />);
