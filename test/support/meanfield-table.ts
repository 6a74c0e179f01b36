/**
 * The learning-rate sample numbers of the mean-field rules for N1 = N2 = N3 = 100 (MLP3 and MLP2 of Yu &
 * Spiliopoulos's code), each row [γ's, rates in the order fc1, fc2, fc3, fc4], computed from the authors' formulas and
 * given to 4 significant digits (hence RATE_TABLE_TOLERANCE, relative). Shared by the src/init and src/nn tests.
 */
export const RATE_TABLE_WIDTH = 100;
export const RATE_TABLE_TOLERANCE = 5e-4;
export const RATE_TABLE: readonly (readonly [readonly number[], readonly number[]])[] = [
  [[0.5, 0.5, 0.5], [1e-6, 1e-4, 1e-2, 1e-2]],
  [[0.7, 0.7, 0.7], [2.512e-4, 2.512e-2, 0.3981, 6.31e-2]],
  [[1, 1, 1], [1, 100, 100, 1]],
  [[0.5, 0.5, 1], [1e-4, 1e-2, 1, 1]],
  [[1, 1, 0.5], [1e-2, 1, 1, 1e-2]],
  [[0.5, 0.5], [1e-4, 1e-2, 1e-2]],
  [[0.7, 0.7], [3.981e-3, 0.3981, 6.31e-2]],
  [[1, 1], [1, 100, 1]],
];
