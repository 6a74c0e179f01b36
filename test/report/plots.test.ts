import { expect } from 'chai';
import { experimentFigure } from '../../src/report/experiment-report.js';
import { curveFigure } from '../../src/report/plots.js';
import { renderSvg } from '../../src/report/render.js';

describe('report plots: curve figures', () => {
  it('draws no NaN on a log axis: non-positive values go to the axis bottom, marked, and the series is flagged clipped', async () => {
    const fig = curveFigure([{ series: [{ name: 'a', color: '#000', center: { x: [1, 2, 3, 4, 5], y: [1, 0, 10, -3, 100] } }] }], {
      id: 't', title: 't', caption: '', xTitle: 'x', yTitle: 'y', logY: true,
    });
    const svg = await renderSvg(fig.spec);
    expect(svg).to.not.match(/NaN|Infinity/);
    expect(fig.clipped).to.deep.equal(['a']);
    expect(svg.match(/aria-label="[^"]*s: a \(clipped\); clip: low/g)).to.have.length(2); // the ▼ markers at x = 2 and 4
  });

  it('marks each measurement of a sparse curve (≤ 12 points) with a point, and draws a dense curve as a plain line', async () => {
    const opts = { id: 't', title: 't', caption: '', xTitle: 'x', yTitle: 'y', logY: false } as const;
    const series = (n: number) => [{ series: [{ name: 'a', color: '#000', center: { x: Array.from({ length: n }, (_, i) => i), y: Array.from({ length: n }, (_, i) => i * i) } }] }];
    const points = (svg: string): number => (svg.match(/role="graphics-symbol" aria-roledescription="point"/g) ?? []).length;
    expect(points(await renderSvg(curveFigure(series(3), opts).spec))).to.equal(3);
    expect(points(await renderSvg(curveFigure(series(40), opts).spec))).to.equal(0);
  });

  it("titles the legend with what the curves are ('scheme' unless a figure says otherwise)", async () => {
    const data = { id: 't', title: 't', caption: '', xTitle: 'γ', yTitle: 'y', logY: false };
    const curve = { name: 'ReLU', x: [0.5, 1], mean: [1, 2], lo: [0.5, 1.5], hi: [1.5, 2.5], seeds: [{ seed: 0, y: [1, 2] }] };
    const legend = (svg: string): string[] => [...svg.matchAll(/<g class="mark-text role-legend-title"[^>]*><text[^>]*>([^<]*)</g)].map((m) => m[1]!);
    const dflt = await renderSvg(experimentFigure({ ...data, panels: [{ title: '', curves: [curve] }] }).spec);
    const named = await renderSvg(experimentFigure({ ...data, legendTitle: 'activation', panels: [{ title: '', curves: [curve] }] }).spec);
    expect(legend(dflt)).to.deep.equal(['scheme']);
    expect(legend(named)).to.deep.equal(['activation']);
  });
});

