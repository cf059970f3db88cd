// The demo feed's switches: DEMO_FEED (unset follows demo mode, on/off decide)
// DEMO_FEED_SPEED and DEMO_OFFICERS, checked once at start like every other setting.
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_FEED_SPEED, loadConfig } from '../src/config.ts';

describe('demo feed configuration', () => {
  it('follows demo mode unless DEMO_FEED says on or off', () => {
    expect(loadConfig({}).feed).toEqual({ enabled: undefined, speed: DEFAULT_FEED_SPEED, officers: true });
    for (const off of ['off', '0', 'false', 'no', 'OFF']) expect(loadConfig({ DEMO_FEED: off }).feed.enabled).toBe(false);
    for (const on of ['on', '1', 'true', 'yes']) expect(loadConfig({ DEMO_FEED: on }).feed.enabled).toBe(true);
  });

  it('refuses a DEMO_FEED it does not understand, naming the variable', () => {
    expect(() => loadConfig({ DEMO_FEED: 'sometimes' })).toThrow(ConfigError);
    expect(() => loadConfig({ DEMO_FEED: 'sometimes' })).toThrow(/DEMO_FEED/);
  });

  it('takes a positive DEMO_FEED_SPEED and refuses anything else', () => {
    expect(loadConfig({ DEMO_FEED_SPEED: '120' }).feed.speed).toBe(120);
    expect(loadConfig({ DEMO_FEED_SPEED: '0.5' }).feed.speed).toBe(0.5);
    for (const bad of ['0', '-3', 'fast', 'Infinity']) expect(() => loadConfig({ DEMO_FEED_SPEED: bad })).toThrow(/DEMO_FEED_SPEED/);
  });

  it('runs the simulated duty officers unless DEMO_OFFICERS is off', () => {
    for (const off of ['off', '0', 'false', 'no', 'Off']) expect(loadConfig({ DEMO_OFFICERS: off }).feed.officers).toBe(false);
    for (const on of ['on', '1', 'true', 'yes', '']) expect(loadConfig({ DEMO_OFFICERS: on }).feed.officers).toBe(true);
    expect(() => loadConfig({ DEMO_OFFICERS: 'some' })).toThrow(/DEMO_OFFICERS/);
  });
});
