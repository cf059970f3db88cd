// Hash history: the server only has to serve index.html at "/", whatever
// views are added later (duty console, analytics, field reports).
import { createRouter, createWebHashHistory } from 'vue-router';
import MapView from '../views/MapView.vue';

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', name: 'map', component: MapView },
    // The integration-center wall; `?scope=district|town:<code>|community:<code>` narrows it.
    { path: '/screen', name: 'screen', component: () => import('../views/BigScreenView.vue') },
    // Sign-in and the kiosk's full-screen message are open to the signed-out (stores/session.ts guards the rest).
    { path: '/login', name: 'login', component: () => import('../views/LoginView.vue'), meta: { public: true } },
    { path: '/kiosk-blocked', name: 'kiosk-blocked', component: () => import('../components/auth/KioskBlocked.vue'), meta: { public: true } },
    // The duty officers' console and the handling units' desk (issue 6).
    { path: '/dispatch', name: 'dispatch', component: () => import('../views/DispatchView.vue') },
    { path: '/dispatch/unit', name: 'dispatch-unit', component: () => import('../views/DispatchUnitView.vue') },
    // Chat-group messages the robot could not recognise, for a duty officer to file or dismiss.
    { path: '/intake', name: 'intake', component: () => import('../views/IntakeView.vue') },
    // The administrators' and the auditor's pages: tabs by permission (the view tells anyone else they have no access).
    { path: '/admin', name: 'admin', component: () => import('../views/AdminView.vue') },
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
});
