import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { router } from './router/index.ts';
import { i18n } from './i18n/index.ts';
import './styles/theme.css';

document.documentElement.lang = i18n.global.locale.value;

createApp(App).use(createPinia()).use(i18n).use(router).mount('#app');
