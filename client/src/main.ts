import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { router } from './router/index.ts';
import { i18n } from './i18n/index.ts';
import { installSessionGuard, useSessionStore } from './stores/session.ts';
import './styles/theme.css';

document.documentElement.lang = i18n.global.locale.value;

const pinia = createPinia();
// The guard goes in before the router's first navigation; it waits for the session check (or kiosk exchange).
installSessionGuard(router, useSessionStore(pinia));
createApp(App).use(pinia).use(i18n).use(router).mount('#app');
