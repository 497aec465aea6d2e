import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { connectApiToSession } from './api/session-bridge';
import { i18n } from './i18n';
import { router } from './router';
import { useSessionStore } from './stores/session';
import './styles/global.css';

const app = createApp(App);
app.use(createPinia());
app.use(i18n);
connectApiToSession(router);
app.use(router);
app.mount('#app');

// A session restored from storage may be stale (role changed, account disabled): check it in the background.
// Failures need no handling here: a rejected session already redirects to sign-in via the API client.
useSessionStore()
  .reloadUser()
  .catch(() => undefined);
