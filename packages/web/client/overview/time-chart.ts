// One uPlot time chart in a panel: created on first data, fed new data in place while its series stay the same,
// rebuilt when they change, and resized with its container.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  /** One value per bucket; null leaves a gap. */
  values: Array<number | null>;
  /** Drawn as a dashed line (for example output tokens beside input). */
  dashed?: boolean;
}

export interface ChartData {
  /** Bucket starts, milliseconds since the epoch. */
  x: number[];
  /** The window, so the last bucket's points sit inside the chart rather than on its edge. */
  from: number;
  to: number;
  series: ChartSeries[];
}

const PALETTE = ['#5b3cc4', '#0d6b63', '#c46a1b', '#b42318', '#2f6fd6', '#8a4b00', '#6b6680', '#1f8a70'];
const HEIGHT = 220;

export interface TimeChart {
  update(data: ChartData): void;
}

export function timeChart(host: HTMLElement, format: (value: number) => string): TimeChart {
  let plot: uPlot | undefined;
  let shape = '';
  let xRange: [number, number] = [0, 1];
  const width = () => Math.max(240, host.clientWidth);
  new ResizeObserver(() => plot?.setSize({ width: width(), height: HEIGHT })).observe(host);

  return {
    update(data) {
      xRange = [data.from, data.to];
      const aligned: uPlot.AlignedData = [data.x, ...data.series.map((s) => s.values)];
      const next = JSON.stringify([data.x.length, data.series.map((s) => s.label)]);
      host.dataset.series = data.series.map((s) => s.label).join(',');
      host.dataset.points = String(data.series.reduce((n, s) => n + s.values.filter((v) => v !== null && v !== 0).length, 0));
      if (plot && next === shape) {
        plot.setData(aligned);
        return;
      }
      plot?.destroy();
      shape = next;
      plot = new uPlot(
        {
          width: width(),
          height: HEIGHT,
          ms: 1,
          cursor: { drag: { x: false, y: false } },
          scales: { x: { time: true, range: () => xRange }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
          axes: [{}, { size: 64, values: (_u, ticks) => ticks.map((v) => (v === 0 ? '0' : format(v))) }],
          series: [
            {},
            ...data.series.map((s, i) => ({
              label: s.label,
              stroke: PALETTE[i % PALETTE.length]!,
              width: 2,
              ...(s.dashed ? { dash: [6, 4] } : {}),
              points: { show: true, size: 5 },
              value: (_u: uPlot, v: number | null) => (v === null ? '—' : format(v)),
            })),
          ],
        },
        aligned,
        host,
      );
    },
  };
}
