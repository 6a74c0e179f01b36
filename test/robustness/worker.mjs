// Worker bootstrap of the robustness suite: a worker thread does not inherit mocha's `--import tsx`, so it
// registers tsx itself before loading the TypeScript campaign.
import { register } from 'tsx/esm/api';

register();
await import('./campaign.ts');
