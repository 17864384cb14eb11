import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { isLocale, type Locale } from '../api/types';
import { resources } from './resources';

/** Each language named in itself, as a language switch should show it. */
export const LANGUAGE_NAMES: Readonly<Record<Locale, string>> = {
  en: 'English',
  ar: 'العربية',
  ru: 'Русский',
  fr: 'Français',
};

const STORAGE_KEY = 'homeward.language';

function storedLanguage(): Locale | null {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return isLocale(value) ? value : null;
  } catch {
    return null; // storage can be disabled; the language is then only kept for this page
  }
}

function browserLanguage(): Locale {
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.slice(0, 2).toLowerCase();
    if (isLocale(base)) return base;
  }
  return 'en';
}

/** Sets <html lang dir>; Mantine's DirectionProvider follows the dir attribute. */
function applyToDocument(language: string): void {
  const root = document.documentElement;
  root.lang = language;
  root.dir = i18n.dir(language);
}

/** Starts i18next with the remembered language, or the browser's, or English. */
export function initI18n(): Locale {
  const language = storedLanguage() ?? browserLanguage();
  void i18n.use(initReactI18next).init({
    resources,
    lng: language,
    fallbackLng: 'en',
    supportedLngs: ['en', 'ar', 'ru', 'fr'],
    interpolation: { escapeValue: false }, // React escapes
    initAsync: false,
  });
  i18n.on('languageChanged', applyToDocument);
  applyToDocument(language);
  return language;
}

/** Switches the language on screen and remembers it in this browser. */
export function changeLanguage(language: Locale): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // see storedLanguage
  }
  if (i18n.language !== language) void i18n.changeLanguage(language);
}

export function currentLanguage(): Locale {
  return isLocale(i18n.language) ? i18n.language : 'en';
}

export default i18n;
