/**
 * Define-by-run reverse-mode autodiff (micrograd's design, on tensors): every differentiable op
 * records its inputs and a closure mapping the output's gradient to the inputs' gradients;
 * `backward` walks the recorded graph in reverse topological order.
 */
import { describe, DomainError, GradError, ShapeError } from '../core/errors.js';
import { fmtShape, shapeEquals } from './layout.js';
import type { Tensor } from './tensor.js';
import { add, checkTensor } from './elementwise.js';
import { ones } from './tensor.js';

/** The recorded history of one op's output. */
export interface GradNode {
  readonly op: string;
  readonly inputs: readonly Tensor[];
  /** Gradients w.r.t. each input, each of that input's shape (null: no gradient flows there). */
  readonly backward: (grad: Tensor) => readonly (Tensor | null)[];
}

let gradEnabled = true;

/** Whether ops currently record history (false inside `noGrad`). */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

/** Run `fn` without recording history (evaluation, optimizer updates); returns fn's result. `fn` must be a function. */
export function noGrad<T>(fn: () => T): T {
  if (typeof fn !== 'function') throw new DomainError(`fn must be a function (run without recording history), got ${describe(fn)}`);
  const prev = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = prev;
  }
}

/**
 * Attach history to `out` if recording is on and any input requires a gradient; returns `out`.
 * Ops call this once, after computing their value.
 */
export function record(out: Tensor, op: string, inputs: readonly Tensor[], backward: GradNode['backward']): Tensor {
  if (gradEnabled && inputs.some((t) => t.requiresGrad)) {
    out.requiresGrad = true;
    out.node = { op, inputs, backward };
  }
  return out;
}

/** Tensors reachable from `root` through recorded history, inputs before outputs. */
function topoOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>();
  // Iterative post-order DFS: deep graphs (long training unrolls) must not overflow the JS stack.
  const stack: Array<{ t: Tensor; next: number }> = [{ t: root, next: 0 }];
  seen.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const inputs = top.t.node?.inputs ?? [];
    if (top.next < inputs.length) {
      const child = inputs[top.next++];
      if (child.requiresGrad && !seen.has(child)) {
        seen.add(child);
        stack.push({ t: child, next: 0 });
      }
    } else {
      order.push(top.t);
      stack.pop();
    }
  }
  return order;
}

/**
 * Backpropagate from `root`. A scalar (size-1) root may omit `seed` (it defaults to 1); otherwise
 * `seed` is dL/droot and must have root's shape. Gradients accumulate into the `.grad` of leaf
 * tensors (those with requiresGrad and no history); intermediate gradients are dropped.
 */
export function backward(root: Tensor, seed?: Tensor): void {
  checkTensor('root', root);
  if (!root.requiresGrad) {
    throw new GradError('backward() needs a tensor with requiresGrad = true (or computed from one), got one without');
  }
  let g: Tensor;
  if (seed === undefined) {
    if (root.size !== 1) {
      throw new GradError(
        `backward() without a seed needs a scalar (size-1) tensor, got shape ${fmtShape(root.shape)}; pass seed = dL/dout`,
      );
    }
    g = ones(root.shape, { dtype: root.dtype });
  } else {
    checkTensor('seed', seed); // null is not "absent": only undefined means the default seed
    if (!shapeEquals(seed.shape, root.shape)) {
      throw new ShapeError(`seed must have the output's shape ${fmtShape(root.shape)}, got ${fmtShape(seed.shape)}`);
    }
    g = seed.dtype === root.dtype ? seed.detach() : seed.to(root.dtype);
  }
  const grads = new Map<Tensor, Tensor>([[root, g]]);
  const order = topoOrder(root);
  noGrad(() => {
    for (let i = order.length - 1; i >= 0; i--) {
      const t = order[i];
      const gt = grads.get(t);
      if (gt === undefined) continue;
      grads.delete(t); // free intermediate gradients as soon as they are consumed
      if (t.node === null) {
        // Own copy: a pass-through gradient may alias another tensor's gradient or a user's seed.
        t.grad = t.grad === null ? gt.clone() : add(t.grad, gt);
        continue;
      }
      const inGrads = t.node.backward(gt);
      t.node.inputs.forEach((inp, k) => {
        const gk = inGrads[k];
        if (gk === null || gk === undefined || !inp.requiresGrad) return;
        const prev = grads.get(inp);
        grads.set(inp, prev === undefined ? gk : add(prev, gk));
      });
    }
  });
}

/**
 * Clear the gradients of every tensor in `params` (e.g. a model's parameters before a step). `params` must be an
 * iterable (array, Set, generator, ...) of Tensors; all of them are checked before any gradient is cleared.
 */
export function zeroGrad(params: Iterable<Tensor>): void {
  if (params === null || params === undefined || typeof (params as Partial<Iterable<Tensor>>)[Symbol.iterator] !== 'function') {
    throw new DomainError(`params must be an iterable of Tensors (e.g. an array), got ${describe(params)}`);
  }
  const list = Array.from(params); // one pass: a generator can be iterated only once
  list.forEach((p, i) => checkTensor(`params[${i}]`, p));
  for (const p of list) p.zeroGrad();
}
