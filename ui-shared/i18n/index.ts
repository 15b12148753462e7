import { useEffect, useState } from 'preact/hooks';
import { en } from './en.js';
import { type Strings, zh } from './zh.js';

export type Lang = 'zh' | 'en';
export type Key = keyof Strings;
const TABLES: Record<Lang, Strings> = { zh, en };
const STORAGE = 'hall.lang';
const listeners = new Set<(lang: Lang) => void>();

let current: Lang = (() => {
  try {
    return localStorage.getItem(STORAGE) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh'; // storage blocked (private mode): Chinese, as in the hall
  }
})();

// The page's language is announced to screen readers and the browser from the first paint, also
// after a reload in English.
if (typeof document !== 'undefined') document.documentElement.lang = current === 'zh' ? 'zh-CN' : 'en';

export function lang(): Lang {
  return current;
}

export function setLang(next: Lang): void {
  current = next;
  try {
    localStorage.setItem(STORAGE, next);
  } catch {
    /* storage blocked: the choice lasts for this page only */
  }
  document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
  for (const l of listeners) l(next);
}

/** The string for `key` in the current language, with {placeholders} filled in. */
export function t(key: Key, vars: Record<string, string | number> = {}): string {
  return TABLES[current][key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`));
}

/** Re-renders the calling component when the language changes. */
export function useLang(): Lang {
  const [value, setValue] = useState(current);
  useEffect(() => {
    listeners.add(setValue);
    return () => void listeners.delete(setValue);
  }, []);
  return value;
}

/** A service's name in the current language. */
export function nameOf(item: { nameZh: string; nameEn: string }): string {
  return current === 'zh' ? item.nameZh : item.nameEn;
}

export function hasKey(key: string): key is Key {
  return key in zh;
}
