/**
 * Recommended gains (docs/schemes/support.md), after PyTorch `torch.nn.init.calculate_gain`.
 *
 * | nonlinearity | gain |
 * |---|---|
 * | linear, identity, conv1d/2d/3d, conv_transpose1d/2d/3d, sigmoid | 1 |
 * | tanh | 5/3 |
 * | relu | √2 |
 * | leaky_relu (negative slope a, default 0.01) | √(2/(1 + a²)) |
 * | selu | 3/4 |
 *
 * SELU: 3/4 is PyTorch's choice for gradient stability; for self-normalizing networks (Klambauer et al. 2017)
 * PyTorch's docs advise gain 1 with fan_in (LeCun normal) instead.
 * Note: `calculateGain('leaky_relu')` uses a = 0.01 (√(2/1.0001)), whereas `kaimingNormal` / `kaimingUniform`
 * pass a = 0 by default (gain √2), as in PyTorch.
 */
import { DomainError, describe } from '../../core/errors.js';
import { finiteParam } from './options.js';

export type Nonlinearity =
  | 'linear'
  | 'identity'
  | 'conv1d'
  | 'conv2d'
  | 'conv3d'
  | 'conv_transpose1d'
  | 'conv_transpose2d'
  | 'conv_transpose3d'
  | 'sigmoid'
  | 'tanh'
  | 'relu'
  | 'leaky_relu'
  | 'selu';

export const NONLINEARITIES: readonly Nonlinearity[] = [
  'linear',
  'identity',
  'conv1d',
  'conv2d',
  'conv3d',
  'conv_transpose1d',
  'conv_transpose2d',
  'conv_transpose3d',
  'sigmoid',
  'tanh',
  'relu',
  'leaky_relu',
  'selu',
];

/** Recommended gain for a nonlinearity; `param` is the leaky-ReLU negative slope (default 0.01). */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear':
    case 'identity':
    case 'conv1d':
    case 'conv2d':
    case 'conv3d':
    case 'conv_transpose1d':
    case 'conv_transpose2d':
    case 'conv_transpose3d':
    case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leaky_relu': {
      const a = finiteParam('param (leaky_relu negative slope)', param, 0.01);
      return Math.sqrt(2 / (1 + a * a));
    }
    case 'selu':
      return 3 / 4;
    default:
      throw new DomainError(`nonlinearity must be one of ${NONLINEARITIES.join(', ')}, got ${describe(nonlinearity)}`);
  }
}
