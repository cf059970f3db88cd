// The one jurisdiction this Open311 endpoint serves; jurisdiction_id is optional (the spec allows that for a single jurisdiction).
import { OPEN311_JURISDICTION_ID } from '../../../../shared/schemas/open311.ts';
import { HttpError } from '../../services/http-error.ts';

/** 404 for a jurisdiction_id that is not ours (the spec's error for it). */
export function checkJurisdiction(id: string | undefined): void {
  if (id !== undefined && id !== OPEN311_JURISDICTION_ID) {
    throw new HttpError(404, `jurisdiction_id ${id} was not found: this endpoint serves ${OPEN311_JURISDICTION_ID} (Zhenjiang New Area) only`);
  }
}
