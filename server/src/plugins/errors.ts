// One place decides what an error looks like to a client (ApiError shape):
// 400 with what is wrong, 404 JSON for unknown API routes, and 5xx that say
// nothing about internals (the details go to the log only).
import fp from 'fastify-plugin';
import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyReply } from 'fastify';
import type { ApiError } from '../../../shared/schemas/common.ts';
import { validationMessage } from './validation-message.ts';

declare module 'fastify' {
  interface FastifyReply {
    /** Replies with an ApiError of this status. */
    apiError(statusCode: number, message: string): FastifyReply;
    notFound(message: string): FastifyReply;
  }
}

function apiError(reply: FastifyReply, statusCode: number, message: string): FastifyReply {
  const payload: ApiError = { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message };
  return reply.code(statusCode).type('application/json; charset=utf-8').send(payload);
}

export default fp(
  async (app) => {
    app.setSchemaErrorFormatter((errors, dataVar) => new Error(validationMessage(errors, dataVar)));

    app.decorateReply('apiError', function (this: FastifyReply, statusCode: number, message: string) {
      return apiError(this, statusCode, message);
    });
    app.decorateReply('notFound', function (this: FastifyReply, message: string) {
      return apiError(this, 404, message);
    });

    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error.validation) return apiError(reply, 400, error.message);
      const status = error.statusCode ?? 500;
      if (status >= 400 && status < 500) {
        // Fastify's own 4xx (bad JSON, body too large, unsupported media type) carry safe messages.
        return apiError(reply, status, error.message);
      }
      request.log.error({ err: error }, 'request failed');
      return apiError(reply, status >= 500 && status <= 599 ? status : 500, 'Something went wrong on the server; it has been logged.');
    });

    app.setNotFoundHandler((request, reply) => {
      const path = request.url.split('?')[0];
      const isApi = path === '/api' || path.startsWith('/api/');
      // Client-side routes of the single-page app (no file extension) get index.html, when the build is served.
      const isPage = !isApi && !/\.[A-Za-z0-9]+$/.test(path) && (request.method === 'GET' || request.method === 'HEAD');
      if (isPage && app.hasReplyDecorator('sendFile')) {
        return reply.type('text/html; charset=utf-8').sendFile('index.html');
      }
      return apiError(reply, 404, `${request.method} ${path} is not a route of this API`);
    });
  },
  { name: 'errors' },
);
