// Reads the generated (or imported) data set. It is input like any other:
// checked for the shape the loader relies on before anything is written.
import { readFile } from 'node:fs/promises';
import type { NewAreaData } from '../../data/types.ts';

export class DataFileError extends Error {
  override name = 'DataFileError';
}

const ARRAYS = ['towns', 'communities', 'grids', 'stations', 'cameras', 'sensors', 'staff'] as const;

function check(data: unknown, file: string): asserts data is NewAreaData {
  const fail = (what: string) => {
    throw new DataFileError(`${file}: ${what}`);
  };
  if (typeof data !== 'object' || data === null) fail('not a JSON object');
  const d = data as Record<string, unknown>;
  if (typeof d.version !== 'string' || d.version === '') fail('"version" must be a non-empty string');
  if (d.source !== 'generated' && d.source !== 'imported') fail('"source" must be "generated" or "imported"');
  for (const key of ['district', 'river'] as const) {
    const part = d[key] as { geometry?: { type?: string } } | undefined;
    if (!part || (part.geometry?.type !== 'Polygon' && part.geometry?.type !== 'MultiPolygon')) fail(`"${key}" needs a Polygon or MultiPolygon geometry`);
  }
  for (const key of ARRAYS) {
    const list = d[key];
    if (!Array.isArray(list)) fail(`"${key}" must be an array`);
    (list as unknown[]).forEach((item, i) => {
      if (typeof (item as { code?: unknown })?.code !== 'string') fail(`${key}[${i}] has no string "code"`);
    });
  }
}

/** The data set in `file`, or undefined when the file does not exist. */
export async function readDataFile(file: string): Promise<NewAreaData | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DataFileError(`cannot read ${file}: ${(err as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new DataFileError(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  check(data, file);
  return data;
}
