import { useRef, useState } from 'preact/hooks';
import { ApiError } from '../ui-shared/api.js';
import { errorText } from '../ui-shared/errors.js';

export interface OneAction {
  busy: boolean;
  error: string | null;
  notice: string | null;
  setError: (message: string | null) => void;
  setNotice: (message: string | null) => void;
  /** Sends one action, then `then` with its answer, then reloads the desk; refused while one is on its way. */
  act: <T>(send: () => Promise<T>, then?: (result: T) => void) => Promise<void>;
}

/** One action at a time: a double click or a held key never sends the same call twice. */
export function useOneAction(load: () => Promise<unknown>, onSignedOut: () => void): OneAction {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const lock = useRef(false);

  async function act<T>(send: () => Promise<T>, then?: (result: T) => void) {
    if (lock.current) return;
    lock.current = true;
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      // Not `then?.(await send())`: an optional call skips its arguments when `then` is absent.
      const result = await send();
      then?.(result);
      await load();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'UNAUTHENTICATED') onSignedOut();
      const said = errorText(err);
      setError(said);
      // The screen is reloaded after a refusal; if that fails too for another reason, both are shown
      // (the network down says 「网络不通」 once, not once per request).
      await load().catch((again: unknown) => {
        const more = errorText(again);
        if (more !== said) setError(`${said} ${more}`);
      });
    } finally {
      lock.current = false;
      setBusy(false);
    }
  }
  return { busy, error, notice, setError, setNotice, act };
}
