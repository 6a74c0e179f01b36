/**
 * The 'auto' notice on stderr: given only when it is news (a preferred fast backend failed to start, a fixable
 * problem), never under INITLAB_QUIET=1; picking the best backend that probed fast is the expected default. The default announcer (stderr) is exercised with
 * process.stderr.write captured; the registries hold fakes shaped like the built-in cpu and gpu providers.
 */
import { expect } from 'chai';
import { BackendRegistry } from '../../src/kernels/registry.js';
import { fakeProvider, type FakeOptions } from './fakes.js';

/** cpu-like reference (priority 0) and gpu-like (priority 100) providers in a registry with the default announcer. */
function machine(gpu: FakeOptions): BackendRegistry {
  return new BackendRegistry([
    fakeProvider('ref', { priority: 0, reference: true, fast: true, reason: 'exact kernels' }),
    fakeProvider('accel', { priority: 100, ...gpu }),
  ]);
}

/** Resolve 'auto' on `registry` with QUIET as given; returns what went to stderr. */
function stderrOf(registry: BackendRegistry, quiet: boolean): string[] {
  const saved = process.env.INITLAB_QUIET;
  const write = process.stderr.write;
  const written: string[] = [];
  process.stderr.write = ((s: string) => written.push(s) > 0) as typeof process.stderr.write;
  try {
    if (quiet) process.env.INITLAB_QUIET = '1';
    else delete process.env.INITLAB_QUIET;
    registry.get();
    registry.set('auto');
  } finally {
    process.stderr.write = write;
    if (saved === undefined) delete process.env.INITLAB_QUIET;
    else process.env.INITLAB_QUIET = saved;
  }
  return written;
}

describe("backend 'auto' notice on stderr", () => {
  it('says nothing when auto picks the reference because the accelerator is absent (e.g. no display)', () => {
    const r = machine({ available: false, reason: 'no GPU context: no X display; run under xvfb-run -a' });
    expect(stderrOf(r, false)).to.deep.equal([]);
    expect(r.get().name).to.equal('ref');
  });

  it('says nothing when the accelerator is only a software renderer (not fast)', () => {
    expect(stderrOf(machine({ fast: false, reason: 'llvmpipe, a software renderer' }), false)).to.deep.equal([]);
  });

  it('says nothing when auto picks a non-reference backend that probed fast (the expected default)', () => {
    const r = machine({ reason: 'hardware renderer X' });
    expect(stderrOf(r, false)).to.deep.equal([]);
    expect(r.get().name).to.equal('accel');
  });

  it('says why when a preferred fast backend failed to start and auto fell back to the reference', () => {
    expect(stderrOf(machine({ createFails: 'shader compiler missing' }), false)).to.deep.equal([
      'initlab: backend auto -> ref: accel failed to start: shader compiler missing; ref: exact kernels (INITLAB_QUIET=1 silences this)\n',
    ]);
  });

  it('INITLAB_QUIET=1 silences the notice', () => {
    expect(stderrOf(machine({ createFails: 'shader compiler missing' }), true)).to.deep.equal([]);
  });

  it('says nothing on this machine with the built-in registry unless a fast backend failed to start', async () => {
    const { BUILTIN_BACKENDS } = await import('../../src/kernels/builtin.js');
    const r = new BackendRegistry(BUILTIN_BACKENDS);
    const d = r.autoDecision();
    const out = stderrOf(r, false);
    // Here (CI, this container) auto picks wasm or cpu with nothing broken, and the notice must not appear.
    if (!d.skipped.some((s) => s.reason.startsWith('failed to start'))) expect(out).to.deep.equal([]);
    else expect(out).to.have.length(1);
  });
});
