// A smart-fire sensor repeats its alarm every heartbeat while it smells
// smoke; one fire must file one incident, not one per heartbeat. An episode
// starts with the first alarm and ends once the sensor has reported normal
// ("online", no alarm) for `quietMs` without a break; the next alarm after
// that is a new fire and files a new incident. Silence is not "normal": a
// sensor that stops reporting keeps its episode open.

/** The catalogue item a sensor's fire files: 火灾 (Fire), work_safety, level 1. */
export const FIRE_ITEM_NAME = '火灾';

/** Plausible default (the articles give none): ten quiet minutes end a fire episode. */
export const FIRE_QUIET_MINUTES = 10;

export interface Episode {
  sensorCode: string;
  startedAt: Date;
  lastAlarmAt: Date;
  /** Since when the sensor has reported normal without an alarm; null while alarming. */
  normalSince: Date | null;
}

export interface SensorReading {
  status: 'online' | 'offline' | 'fault' | 'alarm';
  at: Date;
}

export interface EpisodeStep {
  /** The episode after this reading (null: none open). */
  episode: Episode | null;
  /** An episode this reading ended. */
  ended: Episode | null;
  /** This reading started a new episode: file an incident for it. */
  started: boolean;
}

function quietEnough(episode: Episode, now: Date, quietMs: number): boolean {
  return episode.normalSince !== null && now.getTime() - episode.normalSince.getTime() >= quietMs;
}

export function stepEpisode(open: Episode | null, sensorCode: string, reading: SensorReading, quietMs: number): EpisodeStep {
  if (reading.status === 'alarm') {
    if (open && !quietEnough(open, reading.at, quietMs)) {
      // The same fire: remember the alarm, forget any normal spell that it interrupts.
      return { episode: { ...open, lastAlarmAt: reading.at, normalSince: null }, ended: null, started: false };
    }
    // First alarm, or the first after a long enough normal spell (whose end nobody reported until now).
    const episode: Episode = { sensorCode, startedAt: reading.at, lastAlarmAt: reading.at, normalSince: null };
    return { episode, ended: open, started: true };
  }
  if (!open) return { episode: null, ended: null, started: false };
  if (reading.status !== 'online') return { episode: open, ended: null, started: false };
  const normal = open.normalSince ? open : { ...open, normalSince: reading.at };
  if (quietEnough(normal, reading.at, quietMs)) return { episode: null, ended: normal, started: false };
  return { episode: normal, ended: null, started: false };
}
