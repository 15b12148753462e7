import { cloneElement, type ComponentChildren, createContext, type VNode } from 'preact';
import { useContext, useState } from 'preact/hooks';
import { ApiError } from '../../ui-shared/api.js';
import { errorText, failedFields, saysWhatIsWrong } from '../../ui-shared/errors.js';
import { t } from '../../ui-shared/i18n/index.js';

/** What every configuration tab shares: a labelled field, and running a change with its outcome shown. */

/** The refused fields of the last change, by input name, with what to fix in the page's language. */
const FieldErrors = createContext<Record<string, string>>({});

/** Wraps a form: each Field inside shows its own refusal under the input. */
export function Fields({ errors, children }: { errors: Record<string, string>; children: ComponentChildren }) {
  return <FieldErrors.Provider value={errors}>{children}</FieldErrors.Provider>;
}

/** The refusal of one named input of the form, for an editor that is not a single input. */
export function useFieldError(name: string): string | undefined {
  return useContext(FieldErrors)[name];
}

export function Field({ label, children }: { label: string; children: ComponentChildren }) {
  const errors = useContext(FieldErrors);
  const name = (children as VNode<{ name?: string }> | null)?.props?.name;
  const error = name ? errors[name] : undefined;
  return (
    <label class={`field ${error ? 'invalid' : ''}`}>
      <span>{label}</span>
      {error ? cloneElement(children as VNode, { 'aria-invalid': 'true' }) : children}
      {error && <span class="field-error" data-testid={`field-error-${name}`}>{error}</span>}
    </label>
  );
}

/** Weekly hours as the manager types them: one interval a line, "1 09:00-17:00" (weekday 1 = Monday). */
export function hoursText(hours: readonly { weekday: number; open: string; close: string }[]): string {
  return hours.map((h) => `${h.weekday} ${h.open}-${h.close}`).join('\n');
}

/** The lines typed back into intervals; what does not read as one is sent as it is, for the server to name. */
export function parseHours(text: string): { weekday: number; open: string; close: string }[] {
  return text.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => {
    const [weekday, span] = l.split(/\s+/);
    const [open, close] = (span ?? '').split('-');
    return { weekday: Number(weekday), open: open ?? '', close: close ?? '' };
  });
}

/** "body.settings.recallLimit" → "recallLimit"; "querystring.from" → "from"; "body.days.3.day" → "calendar" (the text area). */
function inputOf(path: string): string {
  const parts = path.split('.').filter((p) => p !== 'body' && p !== 'querystring' && p !== 'settings');
  if (parts[0] === 'days') return 'calendar';
  if (parts[0] === 'smsTemplates') return parts[1] ?? 'smsTemplates';
  if (parts[0] === 'openingHours') return 'hours';
  if (parts[0] === 'displayZones') return `zone-${parts[1]}-${parts[2] ?? 'name'}`;
  return parts[0] ?? path;
}

export function fieldErrorsOf(err: unknown): Record<string, string> {
  if (!(err instanceof ApiError)) return {};
  const message = saysWhatIsWrong(err) ? errorText(err) : t('error.fieldInvalid');
  return Object.fromEntries(failedFields(err).map((path) => [inputOf(path), message]));
}

/** Runs a change, then reloads; errors are shown in plain words and the form keeps its input. */
export function useAction(reload: () => Promise<unknown>) {
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const run = async (fn: () => Promise<unknown>, done?: string) => {
    setError(null);
    setNotice(null);
    setFields({});
    try {
      await fn();
      await reload();
      if (done) setNotice(done);
      return true;
    } catch (err) {
      setError(errorText(err));
      setFields(fieldErrorsOf(err));
      return false;
    }
  };

  const banner = (
    <>
      {error && <div class="error-banner" role="alert">{error}</div>}
      {notice && <div class="notice-banner" data-testid="notice">{notice}</div>}
    </>
  );
  return { run, banner, setNotice, fields };
}
