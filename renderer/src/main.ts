// Entry of the agent flow: the first call to the engine, Vue, Pinia, the messages, and the kiosk's global guards.
// boot.ts first: its call to the engine leaves before the other modules are evaluated.
import { firstSnapshot } from './boot';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { i18n, setLanguage } from './i18n';
import { useSessionStore } from './stores/session';
import './styles/base.css';

// A kiosk offers no browser context menu (it would expose "inspect", "save as"...).
window.addEventListener('contextmenu', (event) => event.preventDefault());

const pinia = createPinia();
const app = createApp(App).use(pinia).use(i18n);

/**
 * The app is mounted once the engine's first answer and the station's language are there: the first screen is
 * drawn once, already right, instead of a loading frame and then welcome. Whatever the answer (out of service
 * too), the app mounts and shows it.
 */
async function start(): Promise<void> {
  const session = useSessionStore(pinia);
  try {
    await session.startPage(firstSnapshot);
    const language = session.snapshot?.station.language;
    if (language !== undefined) await setLanguage(language);
  } finally {
    app.mount('#app');
  }
}

void start();
