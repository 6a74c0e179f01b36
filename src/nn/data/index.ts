// Public surface of the data folder: datasets, the seeded DataLoader, MNIST from IDX files, synthetic sets.
export {
  classificationDataset,
  datasetSize,
  permutation,
  regressionDataset,
  type ClassLabels,
  type Dataset,
  type DatasetY,
  type RegressionTargets,
} from './dataset.js';
export { DataLoader, type Batch, type DataLoaderOptions } from './loader.js';
export { DataFileError, parseIdx, readIdx, type IdxArray, type IdxExpectation } from './idx.js';
export { CsvError, loadCsv, parseCsv, type CsvOptions } from './csv.js';
export { loadMnist, mnistDataDir, MNIST_FILES, MNIST_MEAN, MNIST_SIDE, MNIST_STD, type MnistNormalize, type MnistOptions } from './mnist.js';
export {
  gaussianBlobs,
  teacherStudent,
  twoMoons,
  type GaussianBlobsOptions,
  type Teacher,
  type TeacherStudentOptions,
  type TwoMoonsOptions,
} from './synthetic.js';
