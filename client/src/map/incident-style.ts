// Layers of the live incident markers: clusters coloured by the gravest level
// inside them (a cluster property), unclustered markers coloured by domain and
// sized by level, a pulsing ring under level-1 markers, and a highlight for
// the incident the map has flown to (feature-state `focus`).
import type { ExpressionSpecification, GeoJSONSourceSpecification, HeatmapLayerSpecification, LayerSpecification } from 'maplibre-gl';
import { CHOROPLETH_RAMP, DOMAIN_COLOURS, LEVEL_COLOURS, PALETTE } from './palette.ts';
import { LAYER, SOURCE } from './layer-ids.ts';
import { TEXT_FONT } from './map-style.ts';

/** Clusters break up above this zoom: single markers from street level on. */
export const CLUSTER_MAX_ZOOM = 14;
export const CLUSTER_RADIUS_PX = 48;

export function incidentSource(promoteId: string): GeoJSONSourceSpecification {
  return {
    type: 'geojson',
    data: { type: 'FeatureCollection', features: [] },
    promoteId,
    cluster: true,
    clusterRadius: CLUSTER_RADIUS_PX,
    clusterMaxZoom: CLUSTER_MAX_ZOOM,
    clusterProperties: {
      // The gravest level inside (1 beats 2 beats 3) gives the cluster its colour.
      gravest: ['min', ['get', 'level']],
      level1: ['+', ['case', ['==', ['get', 'level'], 1], 1, 0]],
    },
  };
}

const focused: ExpressionSpecification = ['boolean', ['feature-state', 'focus'], false];
const clustered: ExpressionSpecification = ['has', 'point_count'];

function levelColour(get: ExpressionSpecification): ExpressionSpecification {
  return ['match', get, 1, LEVEL_COLOURS[1], 2, LEVEL_COLOURS[2], LEVEL_COLOURS[3]];
}

export function incidentLayers(): LayerSpecification[] {
  return [
    {
      id: LAYER.incidentClusters,
      type: 'circle',
      source: SOURCE.incidents,
      filter: clustered,
      paint: {
        'circle-color': levelColour(['get', 'gravest']),
        'circle-opacity': 0.85,
        'circle-radius': ['step', ['get', 'point_count'], 14, 10, 18, 50, 24, 200, 30],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': ['case', ['>', ['get', 'level1'], 0], 3, 1.5],
        'circle-stroke-opacity': 0.85,
      },
    },
    {
      id: LAYER.incidentClusterCount,
      type: 'symbol',
      source: SOURCE.incidents,
      filter: clustered,
      layout: {
        'text-field': ['get', 'point_count_abbreviated'],
        'text-font': TEXT_FONT,
        'text-size': 14,
        'text-allow-overlap': true,
      },
      paint: { 'text-color': PALETTE.labelHalo },
    },
    {
      // Animated by IncidentLayer (radius and opacity), level 1 only.
      id: LAYER.incidentPulse,
      type: 'circle',
      source: SOURCE.incidents,
      filter: ['all', ['!', clustered], ['==', ['get', 'level'], 1]],
      paint: {
        'circle-color': LEVEL_COLOURS[1],
        'circle-radius': 12,
        'circle-opacity': 0.35,
        'circle-stroke-width': 0,
      },
    },
    {
      id: LAYER.incidentPoints,
      type: 'circle',
      source: SOURCE.incidents,
      filter: ['!', clustered],
      paint: {
        'circle-color': ['match', ['get', 'domain'],
          'law_enforcement', DOMAIN_COLOURS.law_enforcement,
          'work_safety', DOMAIN_COLOURS.work_safety,
          'public_order', DOMAIN_COLOURS.public_order,
          'livelihood', DOMAIN_COLOURS.livelihood,
          DOMAIN_COLOURS.ecology],
        // Graver is bigger; the focused one bigger still.
        'circle-radius': ['+', ['match', ['get', 'level'], 1, 9, 2, 7, 5], ['case', focused, 5, 0]],
        'circle-stroke-color': ['case', focused, '#ffffff', levelColour(['get', 'level'])],
        'circle-stroke-width': ['case', focused, 4, ['match', ['get', 'level'], 1, 2.5, 1.5]],
      },
    },
  ];
}

/** Pulse ring at phase 0..1: grows and fades. */
export function pulseFrame(phase: number): { radius: number; opacity: number } {
  return { radius: 10 + 18 * phase, opacity: 0.55 * (1 - phase) };
}

/** Heatmap of report counts per cell; `maxCount` is the busiest cell, so no period saturates the map. */
export function heatmapLayer(maxCount = 10): HeatmapLayerSpecification {
  return {
    id: LAYER.incidentHeat,
    type: 'heatmap',
    source: SOURCE.incidentHeat,
    paint: {
      'heatmap-weight': ['interpolate', ['linear'], ['get', 'count'], 0, 0, Math.max(1, maxCount), 1],
      'heatmap-intensity': ['interpolate', ['linear'], ['zoom'], 9, 0.8, 15, 2.5],
      'heatmap-radius': ['interpolate', ['linear'], ['zoom'], 9, 12, 12, 26, 15, 45],
      'heatmap-opacity': 0.8,
      'heatmap-color': ['interpolate', ['linear'], ['heatmap-density'],
        0, 'rgba(0,0,0,0)', 0.15, '#1f5f8b', 0.35, '#36cfc9', 0.55, '#fadb14', 0.75, '#ffa940', 1, '#ff3b3b'],
    },
  };
}

/** Grid choropleth coloured by feature-state `per1000` (reports per 1,000 households); no state, no colour. */
export function choroplethLayers(): LayerSpecification[] {
  const rate: ExpressionSpecification = ['feature-state', 'per1000'];
  const ramp = CHOROPLETH_RAMP.flatMap(([stop, colour]) => [stop, colour]);
  return [
    {
      id: LAYER.gridChoropleth,
      type: 'fill',
      source: SOURCE.gridRates,
      paint: {
        'fill-color': ['interpolate', ['linear'], ['coalesce', rate, 0], ...ramp] as unknown as ExpressionSpecification,
        'fill-opacity': ['case', ['==', rate, null], 0, 0.8],
      },
    },
    {
      id: LAYER.gridChoroplethOutline,
      type: 'line',
      source: SOURCE.gridRates,
      paint: { 'line-color': PALETTE.gridOutline, 'line-width': 0.6, 'line-opacity': 0.5 },
    },
  ];
}
