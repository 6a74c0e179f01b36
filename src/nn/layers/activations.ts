/**
 * Parameter-free activation modules over the tensor ops: ReLU, LeakyReLU, Sigmoid, Tanh (RReLU, which draws, is in
 * rrelu.ts). Each checks that its input is a Tensor; the op computes and differentiates.
 */
import { finiteParam } from '../../core/options.js';
import { type Tensor, leakyRelu, relu, sigmoid, tanh } from '../../tensor/index.js';
import { checkTensorArg } from '../checks.js';
import { Module } from '../module.js';

/** max(x, 0) elementwise. */
export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return relu(checkTensorArg('ReLU.forward: x', x));
  }
}

/** x for x > 0, slope·x otherwise (PyTorch's LeakyReLU; default slope 0.01, any finite slope). */
export class LeakyReLU extends Module {
  readonly slope: number;
  constructor(slope: number = 0.01) {
    super();
    this.slope = finiteParam('slope', slope, 0.01);
  }
  forward(x: Tensor): Tensor {
    return leakyRelu(checkTensorArg('LeakyReLU.forward: x', x), this.slope);
  }
}

/** Logistic sigmoid 1 / (1 + e^−x). */
export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    return sigmoid(checkTensorArg('Sigmoid.forward: x', x));
  }
}

/** Hyperbolic tangent. */
export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return tanh(checkTensorArg('Tanh.forward: x', x));
  }
}
