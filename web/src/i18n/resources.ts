import ar from './ar.json';
import en from './en.json';
import fr from './fr.json';
import ru from './ru.json';

/** The English file is the reference: every other language must have each of its keys. */
export type Translation = typeof en;

export const resources = {
  en: { translation: en },
  ar: { translation: ar satisfies Translation },
  ru: { translation: ru satisfies Translation },
  fr: { translation: fr satisfies Translation },
} as const;
