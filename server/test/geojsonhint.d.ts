declare module '@mapbox/geojsonhint' {
  export interface HintError {
    message: string;
    line?: number;
    level?: 'message' | 'error';
  }
  export function hint(geojson: unknown, options?: { precisionWarning?: boolean; noDuplicateMembers?: boolean }): HintError[];
  const geojsonhint: { hint: typeof hint };
  export default geojsonhint;
}
