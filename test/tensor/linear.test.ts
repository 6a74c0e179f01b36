import { expect } from 'chai';
import fc from 'fast-check';
import { DTypeError, ShapeError } from '../../src/core/errors.js';
import { type Backend, type FloatArray, type LinearFlags, type MatmulFlags } from '../../src/kernels/backend.js';
import { CpuBackend } from '../../src/kernels/cpu/backend.js';
import { getBackend, registerBackend, setBackend } from '../../src/kernels/registry.js';
import { denseFromInit, mlpForward } from '../../src/nn/index.js';
import { type Tensor, linear, matmul, relu, tensor } from '../../src/tensor/index.js';
import { checkGradients } from '../support/finite-diff.js';

const SEED = 2026;
const EPS64 = 2 ** -52;

/** |a − b| ≤ bound elementwise, bound = c·(k+2)·eps64·mag (two float64 evaluations of the same k-term sums). */
function expectClose(a: FloatArray, b: FloatArray, mag: FloatArray | number[], k: number, what: string): void {
  expect(a.length).to.equal(b.length);
  for (let i = 0; i < a.length; i++) {
    const bound = 4 * (k + 2) * EPS64 * ((mag[i] as number) + 1e-300);
    expect(Math.abs((a[i] as number) - (b[i] as number)), `${what}[${i}]`).to.be.at.most(bound);
  }
}

const absT = (t: Tensor): Tensor => tensor(t.dense().map(Math.abs), t.shape.slice(), { dtype: t.dtype });

describe('tensor: fused linear', () => {
  it('equals relu(x Wᵀ + b) and its gradients (float64, random shapes, with/without bias and ReLU, W as a view)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 0, max: 1e9 }),
        (m, k, n, withBias, withRelu, wAsView, seed) => {
          let s = seed;
          const rnd = (): number => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
          const xv = Array.from({ length: m * k }, rnd);
          const wv = Array.from({ length: n * k }, rnd);
          const bv = Array.from({ length: n }, rnd);
          const mk = (): { x: Tensor; W: Tensor; Wleaf: Tensor; b: Tensor | null } => {
            const x = tensor(xv, [m, k], { dtype: 'float64', requiresGrad: true });
            // A view: W = (stored [k, n])ᵀ, exercising the transposed-operand path.
            const Wleaf = wAsView
              ? tensor(Array.from({ length: n * k }, (_, i) => wv[(i % n) * k + Math.floor(i / n)] as number), [k, n], { dtype: 'float64', requiresGrad: true })
              : tensor(wv, [n, k], { dtype: 'float64', requiresGrad: true });
            const b = withBias ? tensor(bv, [n], { dtype: 'float64', requiresGrad: true }) : null;
            return { x, W: wAsView ? Wleaf.transpose() : Wleaf, Wleaf, b };
          };
          const f = mk();
          const r = mk();
          const yf = linear(f.x, f.W, f.b, { relu: withRelu });
          let z = matmul(r.x, r.W.transpose());
          if (r.b !== null) z = z.add(r.b);
          // Skip draws whose pre-activation is within rounding of the ReLU kink (the masks could differ there).
          if (withRelu && z.dense().some((v) => Math.abs(v) < 1e-9)) return;
          const yr = withRelu ? relu(z) : z;
          const mag = matmul(absT(r.x), absT(r.W).transpose()).dense().map((v, i) => v + (r.b === null ? 0 : Math.abs(bv[i % n] as number)));
          expectClose(yf.dense(), yr.dense(), mag, k, 'y');
          // Backward through a random linear functional of y.
          const cv = Array.from({ length: m * n }, rnd);
          yf.mul(tensor(cv, [m, n], { dtype: 'float64' })).sum().backward();
          yr.mul(tensor(cv, [m, n], { dtype: 'float64' })).sum().backward();
          const gmag = (len: number, terms: number) => new Array<number>(len).fill(terms * 4); // |c|,|x|,|W| ≤ 1
          expectClose(f.x.grad!.dense(), r.x.grad!.dense(), gmag(m * k, n), n, 'dx');
          expectClose(f.Wleaf.grad!.dense(), r.Wleaf.grad!.dense(), gmag(n * k, m), m, 'dW');
          if (withBias) expectClose(f.b!.grad!.dense(), r.b!.grad!.dense(), gmag(n, m), m, 'db');
        },
      ),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('matches central finite differences (float64)', () => {
    // h = 1e-6: truncation O(h²)·|f'''| ≈ 1e-12 and roundoff ≈ eps64·|f|/h ≈ 1e-10; tolerance 1e-7 absolute on O(1) gradients.
    const x = tensor([[0.3, -1.2, 0.7], [1.1, 0.4, -0.5]], undefined, { dtype: 'float64', requiresGrad: true });
    const W = tensor([[0.5, -0.4, 0.9], [-1.3, 0.2, 0.6]], undefined, { dtype: 'float64', requiresGrad: true });
    const b = tensor([0.1, -0.2], undefined, { dtype: 'float64', requiresGrad: true });
    const loss = (): Tensor => linear(x, W, b, { relu: true }).mul(linear(x, W, b, { relu: true })).sum();
    checkGradients(loss, [x, W, b], 1e-6, () => 1e-7, 'linear + relu');
  });

  it('is one backend.linear call forward, and skips the products of inputs without gradients', () => {
    const previous = getBackend();
    const cpu = new CpuBackend();
    const calls: string[] = [];
    const spy: Backend = {
      name: 'spy-linear',
      describe: () => 'spy',
      matmul: (a: FloatArray, b2: FloatArray, m: number, k: number, n: number, fl?: MatmulFlags) => (calls.push('matmul'), cpu.matmul(a, b2, m, k, n, fl)),
      relu: (a: FloatArray) => (calls.push('relu'), cpu.relu(a)),
      reluBackward: (a: FloatArray, g: FloatArray) => (calls.push('reluBackward'), cpu.reluBackward(a, g)),
      addBias: (a: FloatArray, b2: FloatArray, r: number, c: number) => (calls.push('addBias'), cpu.addBias(a, b2, r, c)),
      linear: (a: FloatArray, w: FloatArray, b2: FloatArray | null, m: number, k: number, n: number, fl?: LinearFlags) => (calls.push('linear'), cpu.linear(a, w, b2, m, k, n, fl)),
    };
    registerBackend('spy-linear', () => spy);
    setBackend('spy-linear');
    try {
      const x = tensor([[1, 2], [3, 4], [5, 6]]); // data: no gradient
      const W = tensor([[1, -1], [0.5, 0.5]], undefined, { requiresGrad: true });
      const b = tensor([0, -3], undefined, { requiresGrad: true });
      const y = linear(x, W, b, { relu: true });
      expect(calls).to.deep.equal(['linear']);
      y.sum().backward();
      expect(calls).to.deep.equal(['linear', 'reluBackward', 'matmul']);
      expect(x.grad).to.equal(null);
      expect(W.grad).to.not.equal(null);
    } finally {
      setBackend(previous.name);
    }
  });

  it('rejects mismatched shapes and dtypes with typed errors', () => {
    const x = tensor([[1, 2, 3]]);
    expect(() => linear(x, tensor([[1, 2]]))).to.throw(ShapeError, /W\.shape\[1\] must equal x\.shape\[1\] = 3/);
    expect(() => linear(x, tensor([[1, 2, 3]]), tensor([1, 2]))).to.throw(ShapeError, /b must have shape \[1\]/);
    expect(() => linear(tensor([1, 2, 3]), tensor([[1, 2, 3]]))).to.throw(ShapeError, /x must be 2-D/);
    expect(() => linear(x, tensor([[1, 2, 3]], undefined, { dtype: 'float64' }))).to.throw(DTypeError, /W must have x's dtype/);
  });

  it('mlpForward: the fused path equals the hooked (unfused) path', () => {
    const layers = [
      { W: Float64Array.from([0.5, -1, 0.25, 2, -0.5, 1]), b: Float64Array.from([0.1, -0.2]), shape: [2, 3] },
      { W: Float64Array.from([1, -1, 0.5, 0.5]), b: Float64Array.from([0, 0.3]), shape: [2, 2] },
    ];
    const net = denseFromInit(layers, { dtype: 'float64', requiresGrad: false });
    const x = tensor([[1, 2, 3], [-1, 0.5, 2], [0.2, -3, 1]], undefined, { dtype: 'float64' });
    const fused = mlpForward(net, x).dense();
    const hooked = mlpForward(net, x, { observe: () => undefined }).dense();
    expectClose(fused, hooked, Array.from(fused, () => 10), 3, 'mlp');
  });
});
