// The renderer's messages: the agent flow's French ships with the first screen; English and the console's load on demand.
import { createI18n, type LocaleMessageDictionary, type VueMessageType } from 'vue-i18n';
import { LANGUAGES, type Language } from '../../shared/steps';

type Messages = LocaleMessageDictionary<VueMessageType>;
type MessageFile = { default: Messages };

/*
 * Loaded through Vite, which precompiles them, rather than JSON imports, which the web tsconfig does not list.
 * French is the station's default and the fallback, so it is in the entry chunk; English is a chunk of its own,
 * and the supervisor console's and first-run wizard's messages (about a third of the text) another pair: an
 * agent's first screen parses none of them.
 */
const eager = import.meta.glob<MessageFile>('./i18n/fr.json', { eager: true });
const agentFiles = import.meta.glob<MessageFile>(['./i18n/*.json', '!./i18n/fr.json']);
// The console's words are shared/'s: the main process writes the report and the CSVs from the same files.
const consoleFiles = import.meta.glob<MessageFile>('../../shared/i18n/console/*.json');

export const i18n = createI18n({
  legacy: false,
  locale: 'fr',
  fallbackLocale: 'fr',
  // English starts empty and is filled when its chunk loads (setLanguage waits for it before switching).
  messages: { fr: eager['./i18n/fr.json']?.default ?? {}, en: {} },
  missingWarn: import.meta.env.DEV,
  fallbackWarn: import.meta.env.DEV,
});

const loads = new Map<string, Promise<void>>();

/** Loads one message file once, added to its language; a failed load is tried again next time. */
function load(files: Record<string, () => Promise<MessageFile>>, path: string, language: Language): Promise<void> {
  const loader = files[path];
  if (loader === undefined) return Promise.resolve();
  let pending = loads.get(path);
  if (pending === undefined) {
    pending = loader().then(
      // Each file holds whole top-level sections of its own, so they are set side by side: mergeLocaleMessage's deep
      // copy would take the precompiled messages for sections and break them.
      (file) => i18n.global.setLocaleMessage(language, Object.assign({}, i18n.global.getLocaleMessage(language), file.default)),
      (error: unknown) => {
        loads.delete(path);
        throw error;
      },
    );
    loads.set(path, pending);
  }
  return pending;
}

/** The agent flow's messages in `language` (French is already there). */
export function loadLanguage(language: Language): Promise<void> {
  return load(agentFiles, `./i18n/${language}.json`, language);
}

/**
 * Shows the screens in `language`, once its messages are there: never a screen half in the old language.
 * A chunk that cannot be read (a damaged install) leaves the language as it was rather than show keys.
 */
export async function setLanguage(language: Language): Promise<void> {
  try {
    await loadLanguage(language);
  } catch {
    return;
  }
  i18n.global.locale.value = language;
}

/** The supervisor console's and first-run wizard's messages, in both languages (the console switches between them). */
export async function loadConsoleMessages(): Promise<void> {
  await Promise.all(LANGUAGES.flatMap((language) => [loadLanguage(language), load(consoleFiles, `../../shared/i18n/console/${language}.json`, language)]));
}
