import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The committed data set the server loads by default. */
export const GENERATED_FILE_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', 'generated', 'newarea.json');
