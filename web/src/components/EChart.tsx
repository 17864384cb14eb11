import { BarChart, type BarSeriesOption, LineChart, type LineSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  type GridComponentOption,
  LegendComponent,
  type LegendComponentOption,
  MarkLineComponent,
  type MarkLineComponentOption,
  TooltipComponent,
  type TooltipComponentOption,
} from 'echarts/components';
import { type ComposeOption, type ECharts, init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// Only what the dashboard draws, and only the SVG renderer: the browser lays out the text (Arabic shaped, right to left),
// and nothing is drawn through a canvas. The tooltip is drawn inside the SVG ("richText"): ECharts' HTML tooltip writes
// inline style attributes, which the page's Content-Security-Policy refuses.
use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, MarkLineComponent, SVGRenderer]);

export type ChartOption = ComposeOption<BarSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption | MarkLineComponentOption>;

interface EChartProps {
  readonly option: ChartOption;
  readonly height?: number;
  /** data-testid of the container; the test looks for an <svg> inside it. */
  readonly testId: string;
  /** Read aloud instead of the drawing (the table beside it holds the numbers). */
  readonly label: string;
}

/** One ECharts chart in a div: created on mount, updated when the option changes, resized with its box, disposed on unmount. */
export function EChart({ option, height = 320, testId, label }: EChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return undefined;
    const instance = init(el, null, { renderer: 'svg', height });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, [height]);

  useEffect(() => {
    chart.current?.setOption({ animation: false, tooltip: { renderMode: 'richText' }, ...option }, { notMerge: true });
  }, [option]);

  return <div ref={box} className="hw-chart" data-testid={testId} role="img" aria-label={label} />;
}
