import { expect } from 'chai';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { DomainError, ShapeError } from '../../src/core/errors.js';
import { DEFAULT_SIGNAL_STUDY, runSignalStudy, type SignalStudyConfig } from '../../src/experiments/signal.js';
import { registerInitializer } from '../../src/init/index.js';
import { findings, signalReportHtml, signalReportMarkdown } from '../../src/report/signal-report.js';
import { curveFigure } from '../../src/report/plots.js';
import { renderSvg } from '../../src/report/render.js';

const small: SignalStudyConfig = {
  ...DEFAULT_SIGNAL_STUDY,
  inputDim: 24,
  width: 24,
  depth: 6,
  batch: 40,
  draws: 2,
  schemes: [{ name: 'kaiming_normal' }, { name: 'lecun_normal' }, { name: 'lps_r_plus' }],
};

describe('experiments: signal-propagation study', () => {
  it('is reproducible bit for bit from its seed, and a different seed changes it', () => {
    const strip = (r: ReturnType<typeof runSignalStudy>) => JSON.stringify(r.schemes.map((s) => ({ ...s, millis: 0 })));
    const a = strip(runSignalStudy(small));
    expect(strip(runSignalStudy(small))).to.equal(a);
    expect(strip(runSignalStudy({ ...small, seed: small.seed + 1 }))).to.not.equal(a);
  });

  it('separates He from LeCun by the factor 2^depth the theory predicts', () => {
    // LeCun's Var = 1/fan_in halves E[x²] at each ReLU layer relative to He's 2/fan_in, so the ratio of forward gains
    // is 2^-(depth-1) times a log-normal factor; with width 24 the per-layer log sd is ≈ sqrt(5/24) ≈ 0.46, so over
    // 5 layers and the medians of 2 draws each the log-ratio error stays well under 4 (≈ 4 sd).
    const r = runSignalStudy({ ...small, draws: 2 });
    const he = r.schemes.find((s) => s.name === 'kaiming_normal');
    const lc = r.schemes.find((s) => s.name === 'lecun_normal');
    expect(he).to.not.equal(undefined);
    const logRatio = Math.log(lc!.forwardGain / he!.forwardGain);
    expect(Math.abs(logRatio - (small.depth - 1) * Math.log(0.5))).to.be.below(4);
    expect(r.failures).to.deep.equal([]);
  });

  it('reports a failing scheme with its error instead of dropping it or aborting', () => {
    registerInitializer(
      {
        kind: 'tensor',
        name: 'test_always_fails',
        description: 'throws (test fixture)',
        source: 'test',
        provenance: 'derived',
        init: () => {
          throw new DomainError('options.x must be in [0, 1], got 7');
        },
      },
      { replace: true },
    );
    const r = runSignalStudy({ ...small, draws: 1, schemes: [{ name: 'test_always_fails' }, { name: 'kaiming_normal' }] });
    expect(r.failures).to.have.length(1);
    expect(r.failures[0]?.error).to.match(/DomainError: options\.x must be in \[0, 1\]/);
    expect(r.schemes.map((s) => s.name)).to.deep.equal(['kaiming_normal']);
    expect(findings(r).join(' ')).to.match(/1 scheme\(s\) failed/);
  });

  it('rejects bad configurations with typed errors naming the field', () => {
    expect(() => runSignalStudy({ ...small, depth: 0 })).to.throw(ShapeError, /depth/);
    expect(() => runSignalStudy({ ...small, batch: 2.5 })).to.throw(ShapeError, /batch/);
    expect(() => runSignalStudy({ ...small, classes: 1 })).to.throw(DomainError, /classes/);
    expect(() => runSignalStudy({ ...small, schemes: [{ name: 'no_such_scheme' }] })).to.throw(DomainError, /no_such_scheme/);
  });
});

describe('report rendering', () => {
  it('renders every scheme, escapes labels, and draws one line per series', function () {
    this.timeout(60000); // vega renders the four charts in a child Node process
    const r = runSignalStudy({ ...small, draws: 1, schemes: [{ name: 'kaiming_normal', label: 'He <b>&</b>' }, { name: 'geometric' }] });
    const html = signalReportHtml(r, { generated: 'now', command: 'test', version: '0' });
    expect(html).to.include('He &lt;b&gt;&amp;&lt;/b&gt;');
    expect(html).to.not.include('<b>&</b>');
    expect(html.match(/<svg /g)).to.have.length(4);
    expect(html.match(/<g class="mark-line role-mark/g)).to.have.length(8); // 4 charts × 2 schemes, one line mark each
    expect(signalReportMarkdown(r)).to.match(/\| geometric \| verified \|/);
  });

  it('draws no NaN on a log axis: non-positive values go to the axis bottom, marked, and the series is flagged clipped', async () => {
    const fig = curveFigure([{ series: [{ name: 'a', color: '#000', center: { x: [1, 2, 3, 4, 5], y: [1, 0, 10, -3, 100] } }] }], {
      id: 't', title: 't', caption: '', xTitle: 'x', yTitle: 'y', logY: true,
    });
    const svg = await renderSvg(fig.spec);
    expect(svg).to.not.match(/NaN|Infinity/);
    expect(fig.clipped).to.deep.equal(['a']);
    expect(svg.match(/aria-label="[^"]*s: a \(clipped\); clip: low/g)).to.have.length(2); // the ▼ markers at x = 2 and 4
  });
});

describe('CLI', () => {
  it('initlab run writes the HTML, JSON and Markdown report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'initlab-'));
    const code = await main(['run', '--quick', '--depth', '3', '--schemes', 'kaiming_normal,geometric', '--backend', 'cpu', '--out', dir]);
    expect(code).to.equal(0);
    for (const f of ['signal-propagation.html', 'signal-propagation.json', 'signal-propagation.md']) expect(existsSync(join(dir, f)), f).to.equal(true);
    const j = JSON.parse(readFileSync(join(dir, 'signal-propagation.json'), 'utf8')) as { config: { depth: number }; schemes: unknown[] };
    expect(j.config.depth).to.equal(3);
    expect(j.schemes).to.have.length(2);
  });

  it('rejects bad flags with a DomainError naming the flag', async () => {
    let err: unknown;
    try {
      await main(['run', '--depth', 'x']);
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(DomainError);
    expect((err as Error).message).to.match(/--depth must be an integer/);
    await main(['run', '--nope', '1']).then(
      () => expect.fail('should throw'),
      (e: unknown) => expect((e as Error).message).to.match(/unknown flag --nope/),
    );
  });
});
