// Entry of the agent flow: Vue, Pinia, the precompiled messages, and the kiosk's global guards.
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import { createI18n, type LocaleMessageDictionary, type VueMessageType } from 'vue-i18n';
import App from './App.vue';
import { useSessionStore } from './stores/session';
import './styles/base.css';

// Loaded through Vite (which precompiles them) rather than a JSON import, which the web tsconfig does not list.
const files = import.meta.glob<{ default: LocaleMessageDictionary<VueMessageType> }>('./i18n/*.json', { eager: true });
const messages = {
  fr: files['./i18n/fr.json']?.default ?? {},
  en: files['./i18n/en.json']?.default ?? {},
};

const i18n = createI18n({
  legacy: false,
  locale: 'fr',
  fallbackLocale: 'fr',
  messages,
  missingWarn: import.meta.env.DEV,
  fallbackWarn: import.meta.env.DEV,
});

// A kiosk offers no browser context menu (it would expose "inspect", "save as"...).
window.addEventListener('contextmenu', (event) => event.preventDefault());

const pinia = createPinia();
const app = createApp(App).use(pinia).use(i18n);
// The first snapshot is asked for before the app mounts, so the engine's answer travels while Vue builds the page.
// `startPage`: a new page never shows a session it did not start (after F5 the next person finds welcome).
void useSessionStore(pinia).refresh('startPage');
app.mount('#app');
