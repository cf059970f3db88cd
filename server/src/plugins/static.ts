// Serves the built front end (dist/client) on the same port as the API, when
// a build exists. Unknown page paths fall back to index.html (see errors.ts).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';
import { ROOT_DIR } from '../config.ts';

export const CLIENT_DIST_DIR = join(ROOT_DIR, 'dist/client');

export interface StaticPluginOptions {
  /** Defaults to dist/client. */
  root?: string;
}

export default fp<StaticPluginOptions>(
  async (app, { root = CLIENT_DIST_DIR }) => {
    if (!existsSync(join(root, 'index.html'))) {
      app.log.warn({ root }, 'front-end build not found; serving the API only (run `npm run build`)');
      return;
    }
    await app.register(fastifyStatic, {
      root,
      prefix: '/',
      // Vite fingerprints everything under assets/: safe to cache for good.
      setHeaders(reply, path) {
        if (path.startsWith(join(root, 'assets'))) reply.header('cache-control', 'public, max-age=31536000, immutable');
      },
    });
  },
  { name: 'static' },
);
