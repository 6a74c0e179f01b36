// Public surface of the mean-field folder: 1/N^γ networks on autograd with their per-layer SGD rates, and their loss.
export { meanFieldNet, type MeanFieldNet, type MeanFieldNetActivation, type MeanFieldNetOptions } from './net.js';
export { halfSquaredError } from './loss.js';
