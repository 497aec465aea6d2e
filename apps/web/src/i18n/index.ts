import { DEFAULT_LOCALE, LOCALES, type Locale } from '@kpl/shared';
import { createI18n } from 'vue-i18n';
import type { ConsoleMessageSchema } from './console/zh-CN';
import en from './en';
import zhCN, { type MessageSchema } from './zh-CN';

declare module 'vue-i18n' {
  // Editor completion for t('…') keys from the zh-CN catalogues (en is checked against them by type).
  export interface DefineLocaleMessage extends MessageSchema, ConsoleMessageSchema {}
}

const STORAGE_KEY = 'kpl.locale';

/** Language names are shown in their own language so users can find theirs whatever the current locale. */
export const LOCALE_NAMES: Record<Locale, string> = { 'zh-CN': '简体中文', en: 'English' };

function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

function storedLocale(): Locale {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return isLocale(value) ? value : DEFAULT_LOCALE;
  } catch {
    return DEFAULT_LOCALE; // storage can be blocked (privacy mode, embedded browsers)
  }
}

export const i18n = createI18n<[MessageSchema], Locale, false>({
  legacy: false,
  locale: storedLocale(),
  fallbackLocale: DEFAULT_LOCALE,
  messages: { 'zh-CN': zhCN, en },
});

/** Switches the UI language and remembers the choice on this device. */
export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Not persisted; the choice still applies to this visit.
  }
}

let consoleMessagesLoaded: Promise<void> | null = null;

/** Adds the console's texts (users, departments, audit…); the router awaits it before any console page. */
export function loadConsoleMessages(): Promise<void> {
  consoleMessagesLoaded ??= import('./console')
    .then(({ consoleMessages }) => {
      for (const locale of LOCALES) i18n.global.mergeLocaleMessage(locale, consoleMessages[locale]);
    })
    .catch((error: unknown) => {
      consoleMessagesLoaded = null; // a failed chunk download may succeed on the next navigation
      throw error;
    });
  return consoleMessagesLoaded;
}
