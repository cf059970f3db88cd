/** The outcome of a triage action, shown by the page until the next one. */
export interface Feedback { kind: 'ok' | 'error'; text: string }
