import { expect } from 'chai';
import { DomainError, ShapeError } from '../../../src/core/index.js';
import { gaussianBlobs, teacherStudent, twoMoons } from '../../../src/nn/index.js';

describe('nn/data: synthetic datasets', () => {
  it('twoMoons without noise: points on the two half circles, ⌊n/2⌋ / ⌈n/2⌉ labels, shuffled', () => {
    const d = twoMoons(101, { seed: 4, noise: 0 });
    expect(d.shape).to.deep.equal([101, 2]);
    const counts = [0, 0];
    const tol = 1e-6; // float32 storage of coordinates of size ≤ 2
    for (let i = 0; i < 101; i++) {
      const [x, y] = [d.x[2 * i]!, d.x[2 * i + 1]!];
      const label = d.y.values[i]!;
      counts[label]!++;
      // class 0: (cos t, sin t); class 1: (1 − cos t, 0.5 − sin t), t ∈ [0, π]
      const [cx, cy, sy] = label === 0 ? [0, 0, 1] : [1, 0.5, -1];
      expect(Math.abs(Math.hypot(x - cx, y - cy) - 1)).to.be.below(tol);
      expect(sy * (y - cy)).to.be.at.least(-tol);
    }
    expect(counts).to.deep.equal([50, 51]);
    expect(Array.from(d.y.values.subarray(0, 50))).to.not.deep.equal(new Array(50).fill(0));
  });

  it('twoMoons: the noise has the requested standard deviation (seeded, deterministic)', () => {
    const clean = twoMoons(20000, { seed: 9, noise: 0 });
    const noisy = twoMoons(20000, { seed: 9, noise: 0.2 });
    expect(Array.from(noisy.y.values)).to.deep.equal(Array.from(clean.y.values)); // same shuffle stream
    let sq = 0;
    for (let i = 0; i < noisy.x.length; i++) sq += (noisy.x[i]! - clean.x[i]!) ** 2;
    // 40000 N(0, 0.04) draws: the sample variance has relative s.e. √(2/40000) ≈ 0.7%; 5 s.e. = 3.5%
    expect(Math.abs(sq / noisy.x.length / 0.04 - 1)).to.be.below(0.035);
    expect(Array.from(twoMoons(50, { seed: 9 }).x)).to.deep.equal(Array.from(twoMoons(50, { seed: 9 }).x));
    expect(Array.from(twoMoons(50, { seed: 9 }).x)).to.not.deep.equal(Array.from(twoMoons(50, { seed: 10 }).x));
  });

  it('gaussianBlobs: per-blob counts ⌊n/k⌋ (+1 for the first n mod k), sample means at the centres', () => {
    const centers = [[0, 0, 0], [5, -5, 1], [-3, 2, 8]];
    const n = 30001;
    const d = gaussianBlobs(n, { seed: 2, centers, std: 0.5 });
    expect(d.shape).to.deep.equal([n, 3]);
    expect(d.centers).to.deep.equal(centers);
    const count = [0, 0, 0];
    const sums = centers.map(() => [0, 0, 0]);
    for (let i = 0; i < n; i++) {
      const j = d.y.values[i]!;
      count[j]!++;
      for (let c = 0; c < 3; c++) sums[j]![c]! += d.x[3 * i + c]!;
    }
    expect(count).to.deep.equal([10001, 10000, 10000]);
    // mean of 10000 N(c, 0.25) draws: s.e. 0.5/100 = 0.005; 5 s.e. = 0.025
    sums.forEach((s, j) => s.forEach((v, c) => expect(Math.abs(v / count[j]! - centers[j]![c]!)).to.be.below(0.025)));
  });

  it('gaussianBlobs with drawn centres: k centres in [−box, box)^dim, reproducible', () => {
    const d = gaussianBlobs(40, { seed: 3, centers: 4, dim: 5, box: 2 });
    expect(d.centers.length).to.equal(4);
    for (const c of d.centers) {
      expect(c.length).to.equal(5);
      for (const v of c) expect(v >= -2 && v < 2).to.equal(true);
    }
    expect(d.y.classes).to.equal(4);
    expect(gaussianBlobs(40, { seed: 3, centers: 4, dim: 5, box: 2 }).centers).to.deep.equal(d.centers);
    expect(() => gaussianBlobs(10, { seed: 1, centers: [[0, 0]], dim: 3 })).to.throw(DomainError, /options\.dim and options\.box apply to drawn centres only/);
  });

  it('teacherStudent: targets are the teacher’s function of the stored inputs; the teacher does not depend on n', () => {
    const d = teacherStudent(50, { seed: 8, inputDim: 4, hidden: 6, outputDim: 2 });
    expect(d.shape).to.deep.equal([50, 4]);
    expect(d.y.shape).to.deep.equal([2]);
    const { W1, W2 } = d.teacher;
    for (let r = 0; r < 50; r++) {
      const h = Array.from({ length: 6 }, (_, u) => Math.max(0, [0, 1, 2, 3].reduce((s, j) => s + W1[u * 4 + j]! * d.x[r * 4 + j]!, 0)));
      for (let c = 0; c < 2; c++) {
        const y = h.reduce((s, hu, u) => s + W2![c * 6 + u]! * hu, 0);
        expect(d.y.values[r * 2 + c]).to.equal(Math.fround(y));
      }
    }
    const more = teacherStudent(500, { seed: 8, inputDim: 4, hidden: 6, outputDim: 2 });
    expect(Array.from(more.teacher.W1)).to.deep.equal(Array.from(W1));
    expect(Array.from(more.x.subarray(0, 200))).to.deep.equal(Array.from(d.x));
  });

  it('teacherStudent: linear teacher; E[y²] ≈ 1 + σ² (He-scaled teacher plus noise)', () => {
    const d = teacherStudent(20000, { seed: 1, inputDim: 50, noise: 0.5 });
    expect(d.teacher.W2).to.equal(null);
    expect(d.teacher.W1.length).to.equal(50);
    let sq = 0;
    for (const v of d.y.values) sq += v * v;
    // E[y²] = ‖w‖² + σ² with ‖w‖² ~ χ²_50/50 (one draw: 1 ± 0.2), so compare with the realised ‖w‖²;
    // the 20000-sample mean of y² has relative s.e. ≈ √(2/20000) = 1%; 5 s.e. = 5%
    const w2 = d.teacher.W1.reduce((s, v) => s + v * v, 0);
    expect(Math.abs(sq / 20000 / (w2 + 0.25) - 1)).to.be.below(0.05);
  });

  it('every generator requires an explicit seed and checks its options', () => {
    expect(() => twoMoons(10, {} as never)).to.throw(DomainError, /options\.seed is required/);
    expect(() => twoMoons(1, { seed: 1 })).to.throw(DomainError, /n must be at least 2/);
    expect(() => twoMoons(10, { seed: 1, noise: -1 })).to.throw(DomainError, /options\.noise must be in \[0, Infinity\), got -1/);
    expect(() => gaussianBlobs(10, { seed: 1, std: 0 })).to.throw(DomainError, /options\.std must be in \(0, Infinity\), got 0/);
    expect(() => teacherStudent(10, { seed: 1, inputDim: 3, hiden: 4 } as never)).to.throw(DomainError, /unknown option options\.hiden for teacherStudent \(did you mean hidden\?\)/);
  });

  it('sizes are checked before any draw: n ≤ 2^31 (Int32 shuffle indices), every array ≤ MAX_ELEMENTS (issue 11)', () => {
    expect(() => twoMoons(2 ** 53, { seed: 1 })).to.throw(DomainError, /^n must be an integer in \[1, 2147483648\] \(the samples are shuffled by Int32 indices\), got 9007199254740992$/);
    expect(() => gaussianBlobs(1e12, { seed: 1, centers: [[0], [1]] })).to.throw(DomainError, /^n must be an integer in \[1, 2147483648\].*got 1000000000000$/);
    expect(() => teacherStudent(1e308, { seed: 1, inputDim: 1 })).to.throw(DomainError, /^n must be an integer in \[1, 2147483648\].*got 1e\+308$/);
    expect(() => gaussianBlobs(2 ** 31, { seed: 1, dim: 4 })).to.throw(ShapeError, /^x \(n·options\.dim = 2147483648·4\) has too many elements \(8589934592\) to allocate: the limit is MAX_ELEMENTS/);
    expect(() => gaussianBlobs(10, { seed: 1, centers: 2 ** 31, dim: 4 })).to.throw(ShapeError, /^the drawn centres \(options\.centers·options\.dim = 2147483648·4\) has too many elements/);
    expect(() => gaussianBlobs(2 ** 31, { seed: 1, centers: [[0, 0, 0]] })).to.throw(ShapeError, /^x \(n·\(length of a centre\) = 2147483648·3\) has too many elements/);
    expect(() => teacherStudent(10, { seed: 1, inputDim: 2 ** 30 })).to.throw(ShapeError, /^x \(n·options\.inputDim = 10·1073741824\) has too many elements/);
    expect(() => teacherStudent(10, { seed: 1, inputDim: 1, outputDim: 2 ** 30 })).to.throw(ShapeError, /^the targets \(n·options\.outputDim = 10·1073741824\)/);
    expect(() => teacherStudent(2, { seed: 1, inputDim: 2 ** 20, hidden: 2 ** 13 })).to.throw(ShapeError, /^the teacher's W1 \(options\.hidden·options\.inputDim = 8192·1048576\)/);
    expect(() => teacherStudent(2, { seed: 1, inputDim: 1, hidden: 2 ** 13, outputDim: 2 ** 20 })).to.throw(ShapeError, /^the teacher's W2 \(options\.outputDim·options\.hidden = 1048576·8192\)/);
  });
});
