// OpenAPI description of the API, built from the routes' own schemas, with
// Swagger UI at /api/docs (its assets ship in the package: nothing from a CDN).
import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';

export const DOCS_PREFIX = '/api/docs';

export default fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.0.3',
        info: {
          title: '镇江新区网格化治理指挥中心 API · Zhenjiang New Area grid-governance command center',
          description: 'Towns, communities, grids, stations, cameras and sensors as GeoJSON (feature id = code), the catalogue of reportable items, and point location.',
          version: '1',
        },
        tags: [
          { name: 'geo', description: 'The New Area as GeoJSON FeatureCollections' },
          { name: 'catalogue', description: 'Reportable items, domains and time limits' },
          { name: 'system', description: 'Health' },
        ],
      },
    });
    await app.register(swaggerUi, { routePrefix: DOCS_PREFIX, staticCSP: false });
  },
  { name: 'swagger' },
);
