// Colours of the dark command-center theme, shared by the map style and the
// legend so the two can never disagree.
import type { GridKind } from '@shared/schemas/geo.ts';
import type { Domain, Level } from '@shared/schemas/catalogue.ts';

export const PALETTE = {
  background: '#06101f',
  districtFill: '#0c1d36',
  districtOutline: '#3fa9ff',
  river: '#1a5fa8',
  riverLabel: '#7fc4ff',
  townBorder: '#6fd3ff',
  communityBorder: '#5b7aa3',
  gridOutline: '#9fd8ff',
  gridHover: '#ffffff',
  gridSelected: '#ffd34d',
  labelText: '#e6f2ff',
  labelHalo: '#06101f',
  townLabel: '#ffe08a',
  station: '#ff6b6b',
  sensor: '#ff9f1c',
  pointStroke: '#0a1426',
} as const;

export const GRID_KIND_COLOURS: Record<GridKind, string> = {
  comprehensive: '#2ec4b6',
  enterprise: '#b15cff',
};

export const CAMERA_STATUS_COLOURS = {
  online: '#3ddc84',
  offline: '#8c99ab',
  fault: '#ff4d4f',
} as const;

/** Incident markers: colour by domain. */
export const DOMAIN_COLOURS = {
  law_enforcement: '#4da3ff',
  work_safety: '#ff7a45',
  public_order: '#f759ab',
  livelihood: '#36cfc9',
  ecology: '#73d13d',
} as const satisfies Record<Domain, string>;

/** Alert and cluster colours by level (1 is the gravest). */
export const LEVEL_COLOURS = { 1: '#ff3b3b', 2: '#ffa940', 3: '#fadb14' } as const satisfies Record<Level, string>;

/** Choropleth ramp: reports per 1,000 households, low to high. */
export const CHOROPLETH_RAMP = [
  [0, '#0f2a4a'],
  [1, '#1f5f8b'],
  [3, '#3a9fbf'],
  [6, '#f2c94c'],
  [10, '#f2994a'],
  [20, '#eb5757'],
] as const;
