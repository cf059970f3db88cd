// Hash history: the server only has to serve index.html at "/", whatever
// views are added later (duty console, analytics, field reports).
import { createRouter, createWebHashHistory } from 'vue-router';
import MapView from '../views/MapView.vue';

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', name: 'map', component: MapView },
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
});
