import { createI18n } from 'vue-i18n';
import { zhCN } from './zh-CN.ts';
import { en } from './en.ts';
import { DEFAULT_LOCALE, initialLocale, LOCALE_STORAGE_KEY, type Locale } from './locale.ts';

function savedLocale(): string | null {
  try {
    return localStorage.getItem(LOCALE_STORAGE_KEY);
  } catch {
    return null; // storage can be disabled on locked-down kiosks
  }
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(savedLocale()),
  fallbackLocale: DEFAULT_LOCALE,
  messages: { 'zh-CN': zhCN, en },
});

/** Switches the UI language, remembers it and keeps `<html lang>` in step. */
export function applyLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  document.documentElement.lang = locale;
  try {
    localStorage.setItem(LOCALE_STORAGE_KEY, locale);
  } catch {
    /* not persisted; the switch still works for this session */
  }
}
