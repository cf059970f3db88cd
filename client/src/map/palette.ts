// Colours of the dark command-center theme, shared by the map style and the
// legend so the two can never disagree.
import type { GridKind } from '@shared/schemas/geo.ts';

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
