// ECharts, tree-shaken: the core plus only the charts and components the
// panels use, drawn on canvas. Nothing else in the client imports echarts.
import { init, use, type ComposeOption, type ECharts } from 'echarts/core';
import { BarChart, LineChart, PieChart, type BarSeriesOption, type LineSeriesOption, type PieSeriesOption } from 'echarts/charts';
import {
  GridComponent, LegendComponent, TooltipComponent,
  type GridComponentOption, type LegendComponentOption, type TooltipComponentOption,
} from 'echarts/components';
import { LegacyGridContainLabel } from 'echarts/features';
import { CanvasRenderer } from 'echarts/renderers';

// LegacyGridContainLabel: `grid.containLabel` keeps axis labels inside the panel (ECharts 6 made it opt-in).
use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, LegacyGridContainLabel, CanvasRenderer]);

export type ChartOption = ComposeOption<
  BarSeriesOption | LineSeriesOption | PieSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>;

export function createChart(el: HTMLElement, pixelRatio: number): ECharts {
  return init(el, undefined, { renderer: 'canvas', devicePixelRatio: pixelRatio });
}

/** Text and lines of the dark theme, sized for reading from across the room. */
export const CHART_TEXT = { color: '#c9dcf5', fontSize: 15 };
export const CHART_AXIS_LINE = { lineStyle: { color: 'rgba(143, 168, 200, 0.45)' } };
export const CHART_SPLIT_LINE = { lineStyle: { color: 'rgba(143, 168, 200, 0.15)' } };
