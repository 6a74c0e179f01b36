// Seeded random source: spec/classic.md §2 (xoshiro128** 1.1 + SplitMix64 seeding, polar normal) and §11.
import { expect } from 'chai';
import fc from 'fast-check';
import { DomainError, NonFiniteError } from '../../../src/core/errors.js';
import { createRng, createStream, createStreams, deriveSeed, SplitMix64, splitMix64At, streamSeed } from '../../../src/init/support/rng.js';
import { fillNormal, sampleTruncatedNormal } from '../../../src/init/support/sampling.js';

const FC = { seed: 20261122, numRuns: 50 } as const;

describe('init/rng: test vectors of classic.md §2 (bit for bit)', () => {
  it('SplitMix64 from state 1234567', () => {
    const sm = new SplitMix64(1234567);
    expect([sm.next(), sm.next(), sm.next()]).to.deep.equal([
      6457827717110365317n,
      3203168211198807973n,
      9817491932198370423n,
    ]);
    expect(splitMix64At(1234567, 3)).to.equal(9817491932198370423n);
  });

  it('xoshiro128** state and first outputs from seed 0', () => {
    const r = createRng(0);
    expect([...r.getState()]).to.deep.equal([0x7b1dcdaf, 0xe220a839, 0xa1b965f4, 0x6e789e6a]);
    expect(Array.from({ length: 6 }, () => r.nextUint32())).to.deep.equal([
      3737715805, 2584255861, 2876756834, 3286328325, 1553311962, 1625202774,
    ]);
  });

  it('xoshiro128** state and first outputs from seed 42', () => {
    const r = createRng(42);
    expect([...r.getState()]).to.deep.equal([0x2feb6e95, 0xbdd73226, 0xb266f103, 0x28efe333]);
    expect(Array.from({ length: 6 }, () => r.nextUint32())).to.deep.equal([
      1776835114, 4165204688, 17111135, 2317295270, 2792088233, 2554630222,
    ]);
  });

  it('seed 42: first nextFloat64 and first 4 polar normals', () => {
    expect(createRng(42).nextFloat64()).to.equal(0.4137016681565887);
    const r = createRng(42);
    const z = [r.nextNormal(), r.nextNormal(), r.nextNormal(), r.nextNormal()];
    // Within one engine the values are bit-identical; the spec allows 1e-15 relative across engines (Math.log).
    const want = [1.0873020675225118, 1.3373747636261168, 0.74099354644621707, 0.52942551358650791];
    z.forEach((v, i) => expect(Math.abs(v - (want[i] as number))).to.be.at.most(1e-15 * Math.abs(want[i] as number)));
  });

  it('seeds outside [0, 2^64) are rejected, not reduced modulo 2^64 (issue 11: no two seeds alias)', () => {
    // was: createRng(2n ** 64n + 42n) ≡ createRng(42) and createRng(-1) ≡ createRng(2n ** 64n - 1n)
    expect(() => createRng(2n ** 64n + 42n)).to.throw(DomainError, /^seed must be a bigint in \[0, 2\^64 - 1\], got 18446744073709551658n$/);
    expect(() => createRng(-1)).to.throw(DomainError, /^seed must be an integer in \[0, 2\^53-1\] \(or a bigint in \[0, 2\^64 - 1\]\), got -1$/);
    expect(createRng(42n).nextUint32()).to.equal(createRng(42).nextUint32());
    expect(createRng(2n ** 64n - 1n).nextUint32()).to.not.equal(createRng(0).nextUint32());
  });
});

describe('init/rng: properties', () => {
  it('nextUint32 in [0, 2^32) and integer; nextFloat64 in [0, 1)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0 }), (seed) => {
        const r = createRng(seed);
        for (let i = 0; i < 200; i++) {
          const u = r.nextUint32();
          expect(Number.isInteger(u) && u >= 0 && u < 2 ** 32).to.equal(true);
          const f = r.nextFloat64();
          expect(f >= 0 && f < 1).to.equal(true);
        }
      }),
      FC,
    );
  });

  it('nextInt(k) in {0..k−1}, and uniform (chi-square, 5-sigma bound)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0 }), fc.integer({ min: 1, max: 2 ** 32 }), (seed, k) => {
        const r = createRng(seed);
        for (let i = 0; i < 50; i++) {
          const v = r.nextInt(k);
          expect(Number.isInteger(v) && v >= 0 && v < k).to.equal(true);
        }
      }),
      FC,
    );
    // k = 7 over 70000 draws: chi-square with 6 dof has mean 6, sd sqrt(12) = 3.46; assert < 6 + 5·3.46.
    const r = createRng(7);
    const counts = new Array<number>(7).fill(0);
    const N = 70000;
    for (let i = 0; i < N; i++) counts[r.nextInt(7)]! += 1;
    const chi2 = counts.reduce((a, c) => a + (c - N / 7) ** 2 / (N / 7), 0);
    expect(chi2).to.be.below(6 + 5 * Math.sqrt(12));
  });

  it('the normal cache is part of the state: clone continues identically', () => {
    const r = createRng(3);
    r.nextNormal();
    const c = r.clone();
    for (let i = 0; i < 5; i++) expect(c.nextNormal()).to.equal(r.nextNormal());
  });

  it('normal sample mean/std within 5 standard errors (n = 1e5; classic.md §10)', () => {
    const x = fillNormal(new Float64Array(100000), createRng(11), 0, 1);
    let m = 0;
    for (const v of x) m += v;
    m /= x.length;
    let v2 = 0;
    for (const v of x) v2 += (v - m) ** 2;
    const sd = Math.sqrt(v2 / (x.length - 1));
    expect(Math.abs(m)).to.be.below(5 / Math.sqrt(1e5)); // SE of mean 1/√n
    expect(Math.abs(sd - 1)).to.be.below(5 * Math.sqrt(1 / (2 * 1e5))); // SE of std sqrt(1/(2n)) for κ = 3
  });

  it('truncated-normal helper never leaves [a, b]', () => {
    const r = createRng(5);
    for (let i = 0; i < 20000; i++) {
      const v = sampleTruncatedNormal(r, 0.3, 2, -1, 0.5);
      expect(v >= -1 && v <= 0.5).to.equal(true);
    }
  });
});

describe('init/rng: independent streams', () => {
  it('stream k is seeded by output k+1 of SplitMix64 from the master seed', () => {
    expect(streamSeed(1234567, 0)).to.equal(6457827717110365317n);
    expect(streamSeed(1234567, 2)).to.equal(9817491932198370423n);
    expect(createStream(1234567, 1).nextUint32()).to.equal(createRng(3203168211198807973n).nextUint32());
  });

  it('adding streams does not change earlier ones; same (seed, k) ⇒ same draws; different k ⇒ different', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0 }), fc.integer({ min: 1, max: 20 }), (seed, count) => {
        const a = createStreams(seed, count);
        const b = createStreams(seed, count + 3);
        for (let k = 0; k < count; k++) {
          const xa = Array.from({ length: 4 }, () => a[k]!.nextUint32());
          const xb = Array.from({ length: 4 }, () => b[k]!.nextUint32());
          expect(xa).to.deep.equal(xb);
        }
        const s0 = createStream(seed, 0).nextUint32();
        const s1 = createStream(seed, 1).nextUint32();
        const s0b = createStream(seed, 0).nextUint32();
        expect(s0).to.equal(s0b);
        expect([s0, createStream(seed, 0).nextUint32()]).to.deep.equal([s0, s0]);
        // a collision of two 32-bit outputs has probability 2^-32
        expect(s0).to.not.equal(s1);
      }),
      FC,
    );
  });

  it('rng.stream(k) equals createStream(seed, k); deriveSeed is deterministic', () => {
    const r = createRng(99);
    expect(r.stream(4).nextUint32()).to.equal(createStream(99, 4).nextUint32());
    expect(deriveSeed(createRng(8))).to.equal(deriveSeed(createRng(8)));
    expect(deriveSeed(createRng(8))).to.not.equal(deriveSeed(createRng(9)));
  });

  it('streams are uncorrelated: sample correlation of two streams within 5/√n', () => {
    const n = 50000;
    const a = createStream(1, 0);
    const b = createStream(1, 1);
    let s = 0;
    for (let i = 0; i < n; i++) s += a.nextNormal() * b.nextNormal();
    expect(Math.abs(s / n)).to.be.below(5 / Math.sqrt(n));
  });
});

describe('init/rng: bad input', () => {
  it('rejects non-integer, non-finite and unsafe seeds', () => {
    expect(() => createRng(1.5)).to.throw(DomainError, /seed must be an integer/);
    expect(() => createRng(NaN)).to.throw(NonFiniteError, /seed/);
    expect(() => createRng(Infinity)).to.throw(NonFiniteError, /seed/);
    expect(() => createRng(2 ** 60)).to.throw(DomainError, /seed/);
    expect(() => createRng('1' as unknown as number)).to.throw(DomainError, /seed/);
  });

  it('rejects bad nextInt bounds and stream indices', () => {
    const r = createRng(1);
    expect(() => r.nextInt(0)).to.throw(DomainError, /k must be an integer in \[1, 2\^32\]/);
    expect(() => r.nextInt(2.5)).to.throw(DomainError, /k must be/);
    expect(() => r.nextInt(2 ** 32 + 1)).to.throw(DomainError, /k must be/);
    expect(() => createStream(1, -1)).to.throw(DomainError, /stream index k/);
    expect(() => createStreams(1, 1.5)).to.throw(DomainError, /count/);
  });
});
