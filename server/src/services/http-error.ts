// A 4xx the central error handler sends as is: its message must be safe to show.
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(public readonly statusCode: number, message: string) {
    super(message);
  }
}
