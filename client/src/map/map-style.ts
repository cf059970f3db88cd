// The offline style: a background and nothing remote. There is deliberately
// no `glyphs` and no `sprite`: with no glyphs URL MapLibre draws every label
// locally with the browser's fonts (see TEXT_FONT), so no request leaves the
// machine. Sources and layers are added by the layer components.
import type {
  ExpressionSpecification,
  FilterSpecification,
  LayerSpecification,
  StyleSpecification,
} from 'maplibre-gl';
import type { GridKind } from '@shared/schemas/geo.ts';
import { CAMERA_STATUS_COLOURS, GRID_KIND_COLOURS, PALETTE } from './palette.ts';
import { LAYER, SOURCE } from './layer-ids.ts';

/**
 * Used as a CSS font-family list by MapLibre's local glyph rasteriser.
 * Noto Sans CJK ships with the kiosk machines (fonts-noto-cjk); the others
 * cover Windows and macOS desktops. `sans-serif` is appended by MapLibre.
 */
export const TEXT_FONT = ['Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC'];

/** Same list for CJK characters drawn via `localIdeographFontFamily`. */
export const LOCAL_IDEOGRAPH_FONT_FAMILY = `${TEXT_FONT.map((f) => `'${f}'`).join(', ')}, sans-serif`;

export type MapLocale = 'zh-CN' | 'en';

export function buildBaseStyle(): StyleSpecification {
  return {
    version: 8,
    name: 'zhenjiang-new-area-offline',
    sources: {},
    layers: [{ id: LAYER.background, type: 'background', paint: { 'background-color': PALETTE.background } }],
  };
}

const hovered: ExpressionSpecification = ['boolean', ['feature-state', 'hover'], false];
const selected: ExpressionSpecification = ['boolean', ['feature-state', 'selected'], false];

export function basemapLayers(): LayerSpecification[] {
  return [
    {
      id: LAYER.districtFill,
      type: 'fill',
      source: SOURCE.basemap,
      filter: ['==', ['get', 'layer'], 'district'],
      paint: { 'fill-color': PALETTE.districtFill, 'fill-opacity': 0.9 },
    },
    {
      id: LAYER.river,
      type: 'fill',
      source: SOURCE.basemap,
      filter: ['==', ['get', 'layer'], 'river'],
      paint: { 'fill-color': PALETTE.river, 'fill-opacity': 0.85 },
    },
    {
      id: LAYER.districtOutline,
      type: 'line',
      source: SOURCE.basemap,
      filter: ['==', ['get', 'layer'], 'district'],
      paint: { 'line-color': PALETTE.districtOutline, 'line-width': 3, 'line-blur': 1.5, 'line-opacity': 0.9 },
    },
  ];
}

export function gridLayers(): LayerSpecification[] {
  const fill = (id: string, kind: keyof typeof GRID_KIND_COLOURS): LayerSpecification => ({
    id,
    type: 'fill',
    source: SOURCE.grids,
    filter: ['==', ['get', 'kind'], kind],
    paint: {
      'fill-color': GRID_KIND_COLOURS[kind],
      'fill-opacity': ['case', selected, 0.7, hovered, 0.6, 0.32],
    },
  });
  return [
    fill(LAYER.gridComprehensive, 'comprehensive'),
    fill(LAYER.gridEnterprise, 'enterprise'),
    {
      id: LAYER.gridOutline,
      type: 'line',
      source: SOURCE.grids,
      paint: {
        'line-color': PALETTE.gridOutline,
        'line-width': ['interpolate', ['linear'], ['zoom'], 10, 0.4, 14, 1.2],
        'line-opacity': 0.45,
      },
    },
    {
      // Drawn from feature-state, so hover/selection never rebuilds the data.
      id: LAYER.gridHighlight,
      type: 'line',
      source: SOURCE.grids,
      paint: {
        'line-color': ['case', selected, PALETTE.gridSelected, PALETTE.gridHover],
        'line-width': ['case', selected, 3, hovered, 2, 0],
        'line-opacity': ['case', ['any', selected, hovered], 1, 0],
      },
    },
  ];
}

/** Filter for layers drawn over every grid: only the kinds that are shown. */
export function gridKindFilter(shown: Record<GridKind, boolean>): FilterSpecification {
  // The palette is keyed by every kind, so it doubles as the list of kinds
  // without pulling the runtime schemas into the bundle.
  const kinds = (Object.keys(GRID_KIND_COLOURS) as GridKind[]).filter((k) => shown[k]);
  return ['in', ['get', 'kind'], ['literal', kinds]];
}

export function communityLayers(): LayerSpecification[] {
  return [
    {
      id: LAYER.communityBorder,
      type: 'line',
      source: SOURCE.communities,
      paint: {
        'line-color': PALETTE.communityBorder,
        'line-width': 1,
        'line-dasharray': [3, 2],
        'line-opacity': 0.9,
      },
    },
  ];
}

export function townLayers(): LayerSpecification[] {
  return [
    {
      id: LAYER.townBorder,
      type: 'line',
      source: SOURCE.towns,
      layout: { 'line-join': 'round' },
      paint: { 'line-color': PALETTE.townBorder, 'line-width': 2.5, 'line-opacity': 0.95 },
    },
  ];
}

export function pointLayers(): { stations: LayerSpecification; cameras: LayerSpecification; sensors: LayerSpecification } {
  const radius = (low: number, high: number): ExpressionSpecification =>
    ['interpolate', ['linear'], ['zoom'], 10, low, 15, high];
  return {
    stations: {
      id: LAYER.stations,
      type: 'circle',
      source: SOURCE.stations,
      paint: {
        'circle-color': PALETTE.station,
        'circle-radius': radius(3.5, 8),
        'circle-stroke-color': PALETTE.pointStroke,
        'circle-stroke-width': 1.2,
      },
    },
    cameras: {
      id: LAYER.cameras,
      type: 'circle',
      source: SOURCE.cameras,
      paint: {
        // A live status pushed later as feature-state wins over the loaded one.
        'circle-color': [
          'match',
          ['coalesce', ['feature-state', 'status'], ['get', 'status']],
          'online', CAMERA_STATUS_COLOURS.online,
          'fault', CAMERA_STATUS_COLOURS.fault,
          CAMERA_STATUS_COLOURS.offline,
        ],
        // 2000 of them: small at district scale so they read as density, not clutter.
        'circle-radius': radius(1.4, 5),
        'circle-opacity': 0.9,
        'circle-stroke-color': PALETTE.pointStroke,
        'circle-stroke-width': ['interpolate', ['linear'], ['zoom'], 10, 0.2, 14, 0.8],
      },
    },
    sensors: {
      id: LAYER.sensors,
      type: 'circle',
      source: SOURCE.sensors,
      paint: {
        'circle-color': PALETTE.sensor,
        'circle-radius': radius(2, 5),
        'circle-stroke-color': PALETTE.pointStroke,
        'circle-stroke-width': 0.8,
      },
    },
  };
}

/** Town names follow the UI language; communities only have Chinese names. */
export function townLabelField(locale: MapLocale): ExpressionSpecification {
  return ['get', locale === 'en' ? 'nameEn' : 'name'];
}

export function labelLayers(locale: MapLocale): LayerSpecification[] {
  const halo = { 'text-halo-color': PALETTE.labelHalo, 'text-halo-width': 1.6 };
  return [
    {
      id: LAYER.riverLabel,
      type: 'symbol',
      source: SOURCE.townLabels,
      filter: ['==', ['get', 'layer'], 'river'],
      layout: {
        'text-field': townLabelField(locale),
        'text-font': TEXT_FONT,
        'text-size': 15,
        'text-letter-spacing': 0.15,
        'text-max-width': 30,
      },
      paint: { 'text-color': PALETTE.riverLabel, ...halo },
    },
    {
      id: LAYER.communityLabel,
      type: 'symbol',
      source: SOURCE.communityLabels,
      minzoom: 10.5,
      layout: {
        'text-field': ['get', 'name'],
        'text-font': TEXT_FONT,
        'text-size': ['interpolate', ['linear'], ['zoom'], 10.5, 10, 14, 14],
        'text-padding': 2,
      },
      paint: { 'text-color': PALETTE.labelText, ...halo },
    },
    {
      id: LAYER.townLabel,
      type: 'symbol',
      source: SOURCE.townLabels,
      filter: ['==', ['get', 'layer'], 'town'],
      layout: {
        'text-field': townLabelField(locale),
        'text-font': TEXT_FONT,
        'text-size': ['interpolate', ['linear'], ['zoom'], 9, 14, 13, 20],
        'text-allow-overlap': true,
        'symbol-sort-key': 0,
      },
      paint: { 'text-color': PALETTE.townLabel, 'text-halo-color': PALETTE.labelHalo, 'text-halo-width': 2 },
    },
  ];
}
