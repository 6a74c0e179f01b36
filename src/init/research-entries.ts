/** Registry entries of the research schemes of issue #4: geometric (Defazio–Bottou) and fractional-moment init. */
import type { InitializerEntry } from './types.js';

export const RESEARCH_ENTRIES: readonly InitializerEntry[] = [];
