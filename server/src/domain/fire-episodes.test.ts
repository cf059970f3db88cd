import { describe, expect, it } from 'vitest';
import { CATALOGUE_ITEMS } from '../../../shared/catalogue.ts';
import { FIRE_ITEM_NAME, stepEpisode, type Episode, type SensorReading } from './fire-episodes.ts';

const t0 = new Date('2026-05-01T08:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const QUIET = 10 * 60_000;

/** Feeds readings one by one; counts the incidents that would be filed. */
function run(readings: SensorReading[]) {
  let open: Episode | null = null;
  let filed = 0;
  let ended = 0;
  for (const r of readings) {
    const step = stepEpisode(open, 's1', r, QUIET);
    open = step.episode;
    if (step.started) filed++;
    if (step.ended) ended++;
  }
  return { open, filed, ended };
}

describe('fire episodes', () => {
  it('the fire item is the level-1 work-safety item 火灾', () => {
    const item = CATALOGUE_ITEMS.find((i) => i.name === FIRE_ITEM_NAME);
    expect(item).toMatchObject({ domain: 'work_safety', level: 1, nameEn: 'Fire' });
  });

  it('repeated alarms within one episode file one incident', () => {
    const r = run([0, 0.5, 1, 1.5, 2, 5].map((m) => ({ status: 'alarm' as const, at: at(m) })));
    expect(r.filed).toBe(1);
    expect(r.open).toMatchObject({ startedAt: at(0), lastAlarmAt: at(5), normalSince: null });
  });

  it('a short normal spell between alarms is still the same fire', () => {
    const r = run([
      { status: 'alarm', at: at(0) },
      { status: 'online', at: at(1) },
      { status: 'online', at: at(9) },
      { status: 'alarm', at: at(10.5) },
    ]);
    expect(r.filed).toBe(1);
  });

  it('ends after ten normal minutes; the next alarm files a new incident', () => {
    const r = run([
      { status: 'alarm', at: at(0) },
      { status: 'online', at: at(1) },
      { status: 'online', at: at(11) },
      { status: 'alarm', at: at(30) },
    ]);
    expect(r).toMatchObject({ filed: 2, ended: 1 });
    expect(r.open?.startedAt).toEqual(at(30));
  });

  it('a new alarm long after the last normal report ends the old episode and starts a new one in one step', () => {
    const open: Episode = { sensorCode: 's1', startedAt: at(0), lastAlarmAt: at(0), normalSince: at(1) };
    const step = stepEpisode(open, 's1', { status: 'alarm', at: at(60) }, QUIET);
    expect(step).toMatchObject({ started: true, ended: open, episode: { startedAt: at(60) } });
  });

  it('silence, faults and offline reports are not normal: the episode stays open', () => {
    const r = run([
      { status: 'alarm', at: at(0) },
      { status: 'fault', at: at(5) },
      { status: 'offline', at: at(30) },
      { status: 'alarm', at: at(120) },
    ]);
    expect(r).toMatchObject({ filed: 1, ended: 0 });
  });

  it('normal readings without an open episode do nothing', () => {
    expect(stepEpisode(null, 's1', { status: 'online', at: t0 }, QUIET)).toEqual({ episode: null, ended: null, started: false });
  });
});
