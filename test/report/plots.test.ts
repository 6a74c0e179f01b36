import { expect } from 'chai';
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
});
