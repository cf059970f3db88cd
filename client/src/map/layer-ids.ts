// Source and layer ids in one place: the layer components, the interaction
// handler and the browser test all refer to these names.
export const SOURCE = {
  basemap: 'basemap',
  towns: 'towns',
  townLabels: 'town-labels',
  communities: 'communities',
  communityLabels: 'community-labels',
  grids: 'grids',
  stations: 'stations',
  cameras: 'cameras',
  sensors: 'sensors',
  // The big screen's live layers.
  incidents: 'incidents',
  incidentHeat: 'incident-heat',
  gridRates: 'grid-rates',
} as const;

export const LAYER = {
  background: 'background',
  districtFill: 'district-fill',
  river: 'river-fill',
  riverLabel: 'river-label',
  districtOutline: 'district-outline',
  gridComprehensive: 'grid-comprehensive-fill',
  gridEnterprise: 'grid-enterprise-fill',
  gridOutline: 'grid-outline',
  gridHighlight: 'grid-highlight',
  communityBorder: 'community-border',
  townBorder: 'town-border',
  townLabel: 'town-label',
  communityLabel: 'community-label',
  stations: 'station-circle',
  cameras: 'camera-circle',
  sensors: 'sensor-circle',
  gridChoropleth: 'grid-choropleth',
  gridChoroplethOutline: 'grid-choropleth-outline',
  incidentHeat: 'incident-heat',
  incidentClusters: 'incident-cluster',
  incidentClusterCount: 'incident-cluster-count',
  incidentPulse: 'incident-pulse',
  incidentPoints: 'incident-point',
} as const;

/** Layers a click or hover can hit, topmost first. */
export const INTERACTIVE_POINT_LAYERS = [LAYER.cameras, LAYER.sensors, LAYER.stations] as const;
export const GRID_FILL_LAYERS = [LAYER.gridComprehensive, LAYER.gridEnterprise] as const;
