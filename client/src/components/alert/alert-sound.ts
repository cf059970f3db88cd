// The alarm tone, synthesised with WebAudio: no audio file, nothing fetched.
// Browsers only let a page make sound after a user gesture (or when the kiosk
// browser is started with --autoplay-policy=no-user-gesture-required), so the
// context is resumed on the first click and until then a tone is skipped.
let context: AudioContext | null = null;

function audio(): AudioContext | null {
  if (typeof AudioContext === 'undefined') return null;
  context ??= new AudioContext();
  return context;
}

/** Call from any user gesture: unlocks sound for the rest of the session. */
export function unlockSound(): void {
  const ctx = audio();
  if (ctx && ctx.state === 'suspended') void ctx.resume().catch(() => undefined);
}

/**
 * True while the browser holds sound back for want of a user gesture (the
 * screen then shows a hint); creates the context to find out.
 */
export function soundBlocked(): boolean {
  return audio()?.state === 'suspended';
}

/** Calls `listener` whenever the context starts or stops (a gesture unlocked it); returns the unsubscribe. */
export function onSoundStateChange(listener: () => void): () => void {
  const ctx = audio();
  if (!ctx) return () => undefined;
  ctx.addEventListener('statechange', listener);
  return () => ctx.removeEventListener('statechange', listener);
}

/** Level 1: three urgent two-tone pulses; levels 2 and 3: one or two soft beeps. */
export function playAlarm(level: number): boolean {
  const ctx = audio();
  if (!ctx || ctx.state !== 'running') return false;
  const pattern = level === 1
    ? [[880, 0], [660, 0.18], [880, 0.45], [660, 0.63], [880, 0.9], [660, 1.08]]
    : level === 2 ? [[660, 0], [660, 0.3]] : [[520, 0]];
  const start = ctx.currentTime + 0.02;
  for (const [frequency, at] of pattern) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = level === 1 ? 'square' : 'sine';
    osc.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, start + at);
    gain.gain.exponentialRampToValueAtTime(level === 1 ? 0.25 : 0.15, start + at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + at + 0.16);
    osc.connect(gain).connect(ctx.destination);
    osc.start(start + at);
    osc.stop(start + at + 0.18);
  }
  return true;
}
