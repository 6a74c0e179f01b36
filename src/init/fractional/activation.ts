/**
 * Activations of the fractional moment-preserving scheme (docs/schemes/fractional.md): the positively homogeneous
 * φ(t) = t for t > 0, slope·t otherwise (linear: slope 1, ReLU: 0, leaky ReLU: a, RReLU: A ~ U[l, u] per neuron and
 * pass, PyTorch training mode — the RReLU model is an inference), their slope moments, and the route by which M_n(s)
 * and the log-norm statistics are computed.
 */
import { DomainError, describe } from '../../core/errors.js';
import { checkedOptions, enumParam, rangeParam } from '../support/options.js';

/** Positively homogeneous activations covered by the scheme. */
export type FractionalActivation =
  | { readonly kind: 'linear' }
  | { readonly kind: 'relu' }
  /** Leaky ReLU with negative slope a ∈ [0, 1] (default 0.01, PyTorch). */
  | { readonly kind: 'leaky_relu'; readonly a?: number }
  /** Randomized leaky ReLU: negative slope A ~ U[l, u] per neuron and pass, 0 ≤ l ≤ u ≤ 1 (defaults 1/8, 1/3). */
  | { readonly kind: 'rrelu'; readonly l?: number; readonly u?: number };

/** An activation object or its name (`'leaky_relu'` → a = 0.01, `'rrelu'` → [1/8, 1/3]). */
export type FractionalActivationSpec = FractionalActivation | 'linear' | 'relu' | 'leaky_relu' | 'rrelu' | ResolvedActivation;

/** Validated activation with its slope moments. */
export interface ResolvedActivation {
  readonly kind: 'linear' | 'relu' | 'leaky_relu' | 'rrelu';
  /** Leaky slope (leaky_relu), or l (rrelu). */
  readonly a: number;
  /** u (rrelu); equals a otherwise. */
  readonly u: number;
  /** μ = E[c g²] = (1 + E[slope²])/2. */
  readonly mu: number;
  /** κ = Var(c g²)/μ² = 6(1 + E[slope⁴])/(1 + E[slope²])² − 1. */
  readonly kappa: number;
  /** E[slope²] and E[slope⁴]. */
  readonly slope2: number;
  readonly slope4: number;
}

const ACT_KINDS = ['linear', 'relu', 'leaky_relu', 'rrelu'] as const;

/** Keys of each activation object. */
const ACT_KEYS: { readonly [K in FractionalActivation['kind']]: readonly string[] } = {
  linear: ['kind'],
  relu: ['kind'],
  leaky_relu: ['kind', 'a'],
  rrelu: ['kind', 'l', 'u'],
};

/** The activations `parseActivation` returned: only these pass through unchecked (a look-alike with `mu`, `kappa`… does not). */
const resolvedActivations = new WeakSet<object>();

/** An activation resolved by this module (it carries its slope moments). */
function isResolved(act: unknown): act is ResolvedActivation {
  return typeof act === 'object' && act !== null && resolvedActivations.has(act);
}

/** Validate an activation spec (slopes in [0, 1], l ≤ u) and compute its slope moments. */
export function resolveActivation(act: FractionalActivationSpec): ResolvedActivation {
  return parseActivation(act, 'act', 'resolveActivation');
}

/**
 * `resolveActivation` for a public function `fn` whose caller wrote the activation as `name` (e.g. `options.act`):
 * errors name `${name}.a`, `${name}.kind`, and unknown keys `${name}.<key> for ${fn}` (so `{ kind: 'relu', mu: 1 }`
 * is rejected). An activation this function returned earlier is returned as it is.
 */
export function parseActivation(act: unknown, name: string, fn: string): ResolvedActivation {
  if (isResolved(act)) return act;
  const obj: unknown = typeof act === 'string' ? { kind: enumParam(name, act, ACT_KINDS) } : act;
  if (obj === null || typeof obj !== 'object') throw new DomainError(`${name} must be an activation name or object, got ${describe(act)}`);
  const rec = obj as { readonly kind?: unknown; readonly a?: unknown; readonly l?: unknown; readonly u?: unknown };
  const kind = enumParam(`${name}.kind`, rec.kind, ACT_KINDS);
  // a misspelt slope key (e.g. { kind: 'leaky_relu', slope: 0.2 }) would otherwise give the default slope
  checkedOptions(fn, obj, ACT_KEYS[kind], name);
  let a = 0;
  let u = 0;
  let slope2: number;
  let slope4: number;
  if (kind === 'linear') {
    a = u = 1;
    slope2 = slope4 = 1;
  } else if (kind === 'relu') {
    slope2 = slope4 = 0;
  } else if (kind === 'leaky_relu') {
    a = u = rangeParam(`${name}.a (leaky ReLU slope)`, rec.a, 0, 1, { dflt: 0.01 });
    slope2 = a * a;
    slope4 = slope2 * slope2;
  } else {
    a = rangeParam(`${name}.l (RReLU lower slope)`, rec.l, 0, 1, { dflt: 1 / 8 });
    u = rangeParam(`${name}.u (RReLU upper slope)`, rec.u, 0, 1, { dflt: 1 / 3 });
    if (a > u) throw new DomainError(`${name}.l must be <= ${name}.u (RReLU slope range [l, u]), got l = ${a}, u = ${u}`);
    if (a === u) {
      slope2 = a * a;
      slope4 = slope2 * slope2;
    } else {
      slope2 = (a * a + a * u + u * u) / 3;
      slope4 = (Math.pow(u, 5) - Math.pow(a, 5)) / (5 * (u - a));
    }
  }
  const mu = (1 + slope2) / 2;
  const kappa = (6 * (1 + slope4)) / ((1 + slope2) * (1 + slope2)) - 1;
  const resolved: ResolvedActivation = Object.freeze({ kind, a, u, mu, kappa, slope2, slope4 });
  resolvedActivations.add(resolved);
  return resolved;
}

/**
 * How M_n(s) and the log-norm statistics of an activation are computed; degenerate slopes fold onto the closed forms:
 * - `'linear'`: slope 1 (linear, leaky a = 1, RReLU l = u = 1), χ²_n closed form;
 * - `'relu'`: slope 0 (ReLU, leaky a = 0, RReLU u = 0), binomial–Gamma sum;
 * - `'beta-mixture'`: one fixed slope in (0, 1) (leaky, RReLU l = u), binomial–Beta mixture;
 * - `'laplace'`: RReLU with l < u, the Laplace integral (log-norm statistics by finite differences).
 */
export type MomentRoute = 'linear' | 'relu' | 'beta-mixture' | 'laplace';

/** The `MomentRoute` of a resolved activation. */
export function momentRoute(act: ResolvedActivation): MomentRoute {
  if (act.kind === 'linear' || (act.kind !== 'relu' && act.a === 1)) return 'linear';
  if (act.kind === 'relu' || act.u === 0) return 'relu';
  if (act.kind === 'leaky_relu' || act.a === act.u) return 'beta-mixture';
  return 'laplace';
}
