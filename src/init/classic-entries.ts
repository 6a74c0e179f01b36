/** Registry entries of the classic initializers (spec/classic.md). */
import type { InitializerEntry } from './types.js';

export const CLASSIC_ENTRIES: readonly InitializerEntry[] = [];
