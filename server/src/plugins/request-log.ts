// Which requests reach the log. Fastify's default writes two info lines for
// every request, so a console under the demo feed (several requests a second)
// scrolls the printed URLs away within moments. At the default `info` level
// only what someone should look at is written: server errors and slow
// requests. `LOG_LEVEL=debug` still shows every request, in and out.
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

/** A request taking longer than this is logged at warn, whatever its status (a route may set its own: config.slowRequestMs). */
export const SLOW_REQUEST_MS = 1_000;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** When this route's answer counts as slow; for routes slow on purpose (a sign-in's password hash). */
    slowRequestMs?: number;
  }
}

export type RequestLogLevel = 'error' | 'warn' | 'debug';

/**
 * 5xx at error; a slow answer at warn; everything else, 4xx included, at
 * debug: a 4xx already tells the client what was wrong (and failed sign-ins
 * are in the audit log), and the demo officers' routine 409s would flood it.
 */
export function requestLogLevel(statusCode: number, responseTimeMs: number, slowMs = SLOW_REQUEST_MS): RequestLogLevel {
  if (statusCode >= 500) return 'error';
  if (responseTimeMs > slowMs) return 'warn';
  return 'debug';
}

const MESSAGES: Record<RequestLogLevel, string> = {
  error: 'request answered with a server error',
  warn: 'slow request',
  debug: 'request completed',
};

/** Passed to Fastify as `logController` (its replacement for the deprecated `disableRequestLogging`). */
export class QuietRequestLog extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const responseTime = reply.elapsedTime;
    if (error) {
      // The response stream itself failed (client gone mid-answer, a broken stream).
      reply.log.error({ req: request, res: reply, err: error, responseTime }, 'request errored');
      return;
    }
    const level = requestLogLevel(reply.statusCode, responseTime, request.routeOptions.config?.slowRequestMs);
    // Above debug the "incoming request" line was not written: say which request it was.
    if (level === 'debug') reply.log.debug({ res: reply, responseTime }, MESSAGES.debug);
    else reply.log[level]({ req: request, res: reply, responseTime }, MESSAGES[level]);
  }

  override routeNotFound(request: FastifyRequest): void {
    // Through the req serializer, which redacts api keys in the URL (unlike Fastify's own line).
    request.log.debug({ req: request }, 'route not found');
  }
}
