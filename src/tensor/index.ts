// Public surface of the tensor engine.
export { Tensor, tensor, zeros, ones, full, arange, eye } from './tensor.js';
export type { DType, NestedArray, TensorLike, TensorOptions } from './tensor.js';
export { noGrad, isGradEnabled, backward, zeroGrad } from './autograd.js';
export type { GradNode } from './autograd.js';
export { add, sub, mul, div, neg, scale, exp, log, relu, leakyRelu, sigmoid, tanh } from './elementwise.js';
export { broadcastTo, sumTo } from './broadcast.js';
export { broadcastShapes } from './layout.js';
export { reshape, transpose } from './views.js';
export { sum, mean, max, argmax, logSumExp } from './reduce.js';
export { matmul } from './matmul.js';
export { linear } from './linear.js';
export type { LinearOptions } from './linear.js';
export { softmax, logSoftmax, crossEntropy, mse } from './nn.js';
export type { Labels } from './nn.js';
export { fromNdarray, toNdarray } from './ndarray.js';
