import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { errorText } from '../../ui-shared/errors.js';

/** What every configuration tab shares: a labelled field, and running a change with its outcome shown. */

export function Field({ label, children }: { label: string; children: ComponentChildren }) {
  return <label class="field"><span>{label}</span>{children}</label>;
}

/** Runs a change, then reloads; errors are shown in plain words and the form keeps its input. */
export function useAction(reload: () => Promise<unknown>) {
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const run = async (fn: () => Promise<unknown>, done?: string) => {
    setError(null);
    setNotice(null);
    try {
      await fn();
      await reload();
      if (done) setNotice(done);
      return true;
    } catch (err) {
      setError(errorText(err));
      return false;
    }
  };
  const banner = (
    <>
      {error && <div class="error-banner" role="alert">{error}</div>}
      {notice && <div class="notice-banner" data-testid="notice">{notice}</div>}
    </>
  );
  return { run, banner, setNotice };
}
