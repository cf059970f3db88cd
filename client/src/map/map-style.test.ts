import { describe, expect, it } from 'vitest';
import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import {
  basemapLayers, buildBaseStyle, communityLayers, gridKindFilter, gridLayers, labelLayers, pointLayers, townLabelField, townLayers,
} from './map-style.ts';
import { LAYER, SOURCE } from './layer-ids.ts';
import { choroplethLayers, heatmapLayer, incidentLayers } from './incident-style.ts';
import { GRID_KIND_COLOURS } from './palette.ts';

const EMPTY = { type: 'geojson' as const, data: { type: 'FeatureCollection' as const, features: [] } };

function fullStyle(locale: 'zh-CN' | 'en') {
  const base = buildBaseStyle();
  const p = pointLayers();
  return {
    ...base,
    sources: Object.fromEntries(Object.values(SOURCE).map((id) => [id, EMPTY])),
    layers: [
      ...base.layers, ...basemapLayers(), ...gridLayers(), ...communityLayers(), ...townLayers(),
      p.stations, p.cameras, p.sensors, ...labelLayers(locale),
      // The big screen's live layers.
      ...choroplethLayers(), heatmapLayer(), ...incidentLayers(),
    ],
  };
}

describe('offline map style', () => {
  it('is a valid MapLibre style with every layer in place', () => {
    for (const locale of ['zh-CN', 'en'] as const) {
      expect(validateStyleMin(fullStyle(locale) as never)).toEqual([]);
    }
  });

  it('asks for nothing remote: no glyphs, sprite or URLs anywhere', () => {
    const style = fullStyle('zh-CN');
    expect(style).not.toHaveProperty('glyphs');
    expect(style).not.toHaveProperty('sprite');
    expect(JSON.stringify(style)).not.toMatch(/https?:|\/\//);
  });

  it('uses unique layer ids and every declared layer id', () => {
    const ids = fullStyle('en').layers.map((l) => l.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...Object.values(LAYER)].sort());
  });

  it('colours the two grid kinds differently, each in its own filtered layer', () => {
    const [comprehensive, enterprise] = gridLayers();
    expect(GRID_KIND_COLOURS.comprehensive).not.toBe(GRID_KIND_COLOURS.enterprise);
    expect(comprehensive).toMatchObject({ id: LAYER.gridComprehensive, filter: ['==', ['get', 'kind'], 'comprehensive'] });
    expect(enterprise).toMatchObject({ id: LAYER.gridEnterprise, filter: ['==', ['get', 'kind'], 'enterprise'] });
  });

  it('labels towns in the UI language and communities always in Chinese', () => {
    expect(townLabelField('zh-CN')).toEqual(['get', 'name']);
    expect(townLabelField('en')).toEqual(['get', 'nameEn']);
    const community = labelLayers('en').find((l) => l.id === LAYER.communityLabel);
    expect(community).toMatchObject({ layout: { 'text-field': ['get', 'name'] } });
  });
});

describe('gridKindFilter', () => {
  it('lists only the kinds that are shown', () => {
    expect(gridKindFilter({ comprehensive: true, enterprise: true })).toEqual(['in', ['get', 'kind'], ['literal', ['comprehensive', 'enterprise']]]);
    expect(gridKindFilter({ comprehensive: false, enterprise: true })).toEqual(['in', ['get', 'kind'], ['literal', ['enterprise']]]);
    expect(gridKindFilter({ comprehensive: false, enterprise: false })).toEqual(['in', ['get', 'kind'], ['literal', []]]);
  });
});
