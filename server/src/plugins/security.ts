// Transport-level protection that every route gets: security headers
// (helmet, with a CSP that lets the map's blob workers run), the rate-limit
// machinery (limits are set per route: sign-in now, intake later), and a
// default body size limit for every route registered after this plugin.
import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';

export interface SecurityPluginOptions {
  bodyLimitBytes: number;
}

/** Intake (reports from the field, the hotline, the QR code) will take this limit per source address. */
export const INTAKE_RATE_LIMIT = { max: 60, timeWindow: 60_000 };

export default fp<SecurityPluginOptions>(
  async (app, { bodyLimitBytes }) => {
    await app.register(helmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          // Vue and MapLibre set inline styles on elements.
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          fontSrc: ["'self'", 'data:'],
          // MapLibre runs its workers from blob: URLs.
          workerSrc: ["'self'", 'blob:'],
          childSrc: ["'self'", 'blob:'],
          connectSrc: ["'self'", 'blob:'],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          // No upgrade-insecure-requests: TLS is the deployment's, and a plain-HTTP
          // install (localhost, an intranet box) would otherwise break itself.
        },
      },
      // The map's canvas loads nothing cross-origin; COEP would only get in the way of the docs page.
      crossOriginEmbedderPolicy: false,
    });
    await app.register(rateLimit, { global: false });
    app.addHook('onRoute', (route) => {
      route.bodyLimit ??= bodyLimitBytes;
    });
  },
  { name: 'security' },
);
