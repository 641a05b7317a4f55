// Chinese and English UI text. Text lives beside the code that shows it, as `{en, zh}` pairs
// (the same shape as a metadata Label), so screens written in parallel never fight over one
// dictionary. The language follows the browser until the user picks one; the pick is kept.
import { useSyncExternalStore } from 'react';
import { labelText, type Label } from '@trellis/core';

export type Lang = 'en' | 'zh';
export interface Msg {
  en: string;
  zh: string;
}

const KEY = 'trellis.lang';
const listeners = new Set<() => void>();

function initial(): Lang {
  try {
    const saved = localStorage.getItem(KEY);
    if (saved === 'en' || saved === 'zh') return saved;
  } catch {
    /* storage blocked: follow the browser */
  }
  const langs = navigator.languages?.length ? navigator.languages : [navigator.language];
  return langs.some((l) => l?.toLowerCase().startsWith('zh')) ? 'zh' : 'en';
}

let lang: Lang = initial();
document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';

export function getLang(): Lang {
  return lang;
}

export function setLang(next: Lang): void {
  lang = next;
  try {
    localStorage.setItem(KEY, next);
  } catch {
    /* not kept, still switched */
  }
  document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
  listeners.forEach((l) => l());
}

export function useLang(): Lang {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => lang,
  );
}

/** `{en, zh}` (or a metadata label) in the current language, with `{name}` placeholders filled */
export function tr(msg: Msg | Label | undefined | null, vars?: Record<string, string | number>, l: Lang = lang): string {
  if (msg === undefined || msg === null) return '';
  let s = labelText(msg as Label, l);
  if (vars) for (const [k, v] of Object.entries(vars)) s = s.split(`{${k}}`).join(String(v));
  return s;
}

/** hook form of `tr` that re-renders on a language switch */
export function useT(): (msg: Msg | Label | undefined | null, vars?: Record<string, string | number>) => string {
  const l = useLang();
  return (msg, vars) => tr(msg, vars, l);
}
