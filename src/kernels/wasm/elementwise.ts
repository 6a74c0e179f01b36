import { Fn } from './emit.js';

/**
 * The wasm backend's elementwise kernels, in place over linear memory (pointers and sizes in bytes). Each rounds
 * at most once, as the CPU kernels do, so results agree bit for bit (NaN payloads aside).
 */

/** relu(x, bytes): x = max(x, 0) in place over whole vectors (bytes a multiple of 16). */
export function relu(): Fn {
  const f = new Fn('relu', ['i32', 'i32']);
  const [x, bytes] = [f.param(0, 'i32'), f.param(1, 'i32')];
  const end = f.local('i32');
  const zero = f.local('v128');
  f.f32(0).f32x4Splat().set(zero);
  f.get(x).get(bytes).i32Add().set(end);
  f.forLoop(x, () => f.get(x), end, 16, () => f.get(x).get(x).v128Load().get(zero).f32x4Max().v128Store());
  return f;
}

/**
 * reluBackward(x, dy, bytes): dy = x > 0 ? dy : +0 in place: the mask of f32x4.gt is all ones or all zeros, so
 * the AND keeps dy bit for bit (even -0) or gives +0, as the CPU kernels do.
 */
export function reluBackward(): Fn {
  const f = new Fn('reluBackward', ['i32', 'i32', 'i32']);
  const [x, dy, bytes] = [f.param(0, 'i32'), f.param(1, 'i32'), f.param(2, 'i32')];
  const end = f.local('i32');
  const zero = f.local('v128');
  f.f32(0).f32x4Splat().set(zero);
  f.get(dy).get(bytes).i32Add().set(end);
  f.forLoop(dy, () => f.get(dy), end, 16, () => {
    f.get(dy).get(dy).v128Load().get(x).v128Load().get(zero).f32x4Gt().v128And().v128Store();
    f.addTo(x, 16);
  });
  return f;
}

/** addBias(x, bias, rows, colBytes): x[i, j] += bias[j] in place; whole vectors, then a scalar tail per row. */
export function addBias(): Fn {
  const f = new Fn('addBias', ['i32', 'i32', 'i32', 'i32']);
  const [x, bias, rows, colBytes] = f.i32Params();
  const [i, j, vecEnd] = f.locals('i32', 3);
  f.get(colBytes).i32(-16).i32And().set(vecEnd);
  f.forLoop(i, () => f.i32(0), rows, 1, () => {
    f.forLoop(j, () => f.i32(0), vecEnd, 16, () =>
      f.get(x).get(j).i32Add().get(x).get(j).i32Add().v128Load().get(bias).get(j).i32Add().v128Load().f32x4Add().v128Store(),
    );
    f.forLoop(j, () => f.get(vecEnd), colBytes, 4, () =>
      f.get(x).get(j).i32Add().get(x).get(j).i32Add().f32Load().get(bias).get(j).i32Add().f32Load().f32Add().f32Store(),
    );
    f.addLocal(x, colBytes);
  });
  return f;
}
