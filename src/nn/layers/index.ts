export { Linear } from './linear.js';
export type { LinearLayerOptions } from './linear.js';
export { ReLU, LeakyReLU, Sigmoid, Tanh } from './activations.js';
export { RReLU } from './rrelu.js';
export type { RReLUOptions } from './rrelu.js';
export { Flatten, Sequential } from './container.js';
