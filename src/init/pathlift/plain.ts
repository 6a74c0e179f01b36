/**
 * The network check shared by every path-lifting function (internal; not re-exported by the folder's barrel).
 *
 * Forward scale: path-lifting (Φ, path-norms, diag(G), T_λ, PathCond, ENorm) is defined for plain dense layers
 * y = W x + b, whose parameters are exactly W and b. A layer with a forward multiplier `scale` ≠ 1
 * (y = scale·(W x) + b, the mean-field N^−γ) is REJECTED with a DomainError naming the layer, never silently
 * treated as y = W x + b: the path values, the norms and diag(G) of the stored W differ from those of the function,
 * and the rescaled weights would be ambiguous. Folding the scale into W (W ← scale·W, b unchanged) gives a plain
 * layer that computes the same function; the caller decides whether that is the parametrisation they mean.
 * `scale: 1` is the same as an absent scale: it is accepted, and returned networks keep the field as given.
 */
import { DomainError, describe } from '../../core/errors.js';
import { type Mlp, validateMlp } from '../support/mlp.js';

/** `validateMlp` (ShapeError / NonFiniteError), then a DomainError for any layer whose forward `scale` is not 1. */
export function validatePlainMlp(mlp: unknown, name = 'mlp', checkFinite = true): asserts mlp is Mlp {
  validateMlp(mlp, name, checkFinite);
  mlp.forEach((layer, l) => {
    if (layer.scale !== undefined && layer.scale !== 1) {
      throw new DomainError(
        `${name}[${l}].scale must be 1 or absent for path-lifting, got ${describe(layer.scale)}: Φ, path-norms, diag(G), T_λ, ` +
          'PathCond and ENorm are defined for plain dense layers y = W x + b; fold the scale into the weights first ' +
          '(W ← scale·W computes the same function)',
      );
    }
  });
}
