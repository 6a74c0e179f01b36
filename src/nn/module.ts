/**
 * The `Module` base class (PyTorch's nn.Module, reduced to what training needs): a `training` flag switched by
 * `train()` / `eval()` for the whole tree, registered parameters and child modules, and dotted parameter names
 * (`'0.weight'`, `'0.bias'`) that label optimizer state and checkpoint entries.
 */
import { DomainError, ShapeError, describe } from '../core/errors.js';
import { Tensor } from '../tensor/index.js';

const NAME_RE = /^[A-Za-z0-9_]+$/;

/** A name a parameter or child is registered under: letters, digits and `_` (the dot joins the levels). */
function checkMemberName(kind: string, name: unknown): string {
  if (typeof name !== 'string' || !NAME_RE.test(name)) {
    throw new DomainError(`${kind} name must be a non-empty string of letters, digits and _ (no dot: dots join levels), got ${describe(name)}`);
  }
  return name;
}

/**
 * A layer or a network of layers. Subclasses implement `forward` and, in their constructor, register their trainable
 * tensors with `registerParameter` and their sub-modules with `registerModule`; registration order is the order of
 * `namedParameters()` (depth first: own parameters, then each child's under `childName.`).
 */
export abstract class Module {
  /** Whether the module is in training mode (default) or evaluation mode; layers such as RReLU read it. */
  training = true;
  readonly #params = new Map<string, Tensor>();
  readonly #children = new Map<string, Module>();

  /** The module's output for the input batch `x`. */
  abstract forward(x: Tensor): Tensor;

  /**
   * Register `t` as a parameter under `name` (unique among this module's parameters and children). `t` must be a
   * contiguous leaf tensor, so that optimizers and `loadStateDict` can write its data in place.
   */
  protected registerParameter(name: string, t: Tensor): Tensor {
    this.#checkFree(checkMemberName('parameter', name));
    if (!(t instanceof Tensor)) throw new DomainError(`parameter ${describe(name)} must be a Tensor, got ${describe(t)}`);
    if (t.node !== null) throw new DomainError(`parameter ${describe(name)} must be a leaf tensor, got the output of ${t.node.op}`);
    if (!t.isContiguous()) throw new ShapeError(`parameter ${describe(name)} must be contiguous (row-major), got strides [${t.strides.join(', ')}]`);
    this.#params.set(name, t);
    return t;
  }

  /** Register `m` as a child module under `name` (unique among this module's parameters and children). */
  protected registerModule<M extends Module>(name: string, m: M): M {
    this.#checkFree(checkMemberName('module', name));
    if (!(m instanceof Module)) throw new DomainError(`module ${describe(name)} must be a Module, got ${describe(m)}`);
    if ((m as Module) === this) throw new DomainError(`module ${describe(name)} cannot be the module itself`);
    this.#children.set(name, m);
    return m;
  }

  #checkFree(name: string): void {
    if (this.#params.has(name) || this.#children.has(name)) throw new DomainError(`name ${describe(name)} is already registered on this ${this.constructor.name}`);
  }

  /** Set training mode (`on = true`) or evaluation mode (`on = false`) on this module and every descendant. */
  train(on: boolean = true): this {
    if (typeof on !== 'boolean') throw new DomainError(`train(on): on must be a boolean, got ${describe(on)}`);
    this.training = on;
    for (const c of this.#children.values()) c.train(on);
    return this;
  }

  /** Evaluation mode: `train(false)`. */
  eval(): this {
    return this.train(false);
  }

  /** The direct children with their names, in registration order. */
  namedChildren(): [string, Module][] {
    return [...this.#children];
  }

  /** The direct children, in registration order. */
  children(): Module[] {
    return [...this.#children.values()];
  }

  /**
   * Every parameter of the tree with its dotted name, depth first (own parameters, then each child's prefixed by the
   * child's name); a tensor shared by two modules is listed once, under its first name.
   */
  namedParameters(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const seen = new Set<Tensor>();
    const walk = (m: Module, prefix: string, path: Set<Module>): void => {
      for (const [n, t] of m.#params) {
        if (!seen.has(t)) {
          seen.add(t);
          out.push([prefix + n, t]);
        }
      }
      for (const [n, c] of m.#children) {
        // A module containing itself through its children would recurse forever.
        if (path.has(c)) throw new DomainError(`module ${describe(prefix + n)} contains itself (a cycle of children)`);
        walk(c, `${prefix}${n}.`, new Set(path).add(c));
      }
    };
    walk(this, '', new Set([this]));
    return out;
  }

  /** The parameters of `namedParameters()`, without names. */
  parameters(): Tensor[] {
    return this.namedParameters().map(([, t]) => t);
  }
}
