// The screen benchmark's HTTP side: signed-in sessions (cookie + CSRF token,
// as a browser holds them) and JSON requests to the product's public API.
import { signIn } from '../live/product-child.ts';

export interface Session {
  cookie: string;
  csrf: string;
}

export class Api {
  private readonly sessions = new Map<string, Promise<Session>>();

  constructor(readonly url: string) {}

  /** One session per account, signed in once and kept. */
  session(username: string): Promise<Session> {
    let s = this.sessions.get(username);
    if (!s) {
      s = signIn(this.url, username);
      this.sessions.set(username, s);
      s.catch(() => this.sessions.delete(username));
    }
    return s;
  }

  async request<T>(method: 'GET' | 'POST', path: string, session: Session, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(new URL(path, this.url), {
      method,
      headers: {
        cookie: session.cookie,
        ...(body === undefined ? {} : { 'content-type': 'application/json', 'x-csrf-token': session.csrf }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  }
}
