import { BackendError } from '../../core/errors.js';
import { probeRenderer as probeWith, type ContextFactory, type GLContext, type RendererInfo } from './renderer.js';

export { destroyGLContext, isSoftwareRenderer, rendererInfo, type ContextFactory, type GLContext, type RendererInfo } from './renderer.js';

/**
 * The browser build's stand-in for context.ts (same exports): the gpu backend's context is a WebGL2 context of an
 * offscreen canvas of the page, so gpu.js runs on the user's GPU (or the browser's software renderer).
 */

/** The little of a canvas element this file touches (the project compiles without the DOM library). */
interface CanvasLike {
  getContext(kind: 'webgl2', attributes: Record<string, unknown>): (GLContext & { canvas: unknown }) | null;
}

/**
 * A WebGL2 context on a fresh 1x1 canvas, or a BackendError saying why there is none (no document, WebGL2 disabled
 * or blocklisted, no float render targets). No options: the page has no environment to read.
 */
export function createGLContext(): GLContext {
  const doc = (globalThis as { document?: { createElement(tag: 'canvas'): CanvasLike } }).document;
  if (doc === undefined) throw new BackendError('no GPU context: no document to create a canvas in (the gpu backend runs in a page, not a worker)');
  const canvas = doc.createElement('canvas');
  const gl = canvas.getContext('webgl2', { preserveDrawingBuffer: true, antialias: false, depth: false });
  if (gl === null) {
    throw new BackendError('no GPU context: this browser gives no WebGL2 context (WebGL disabled, or the GPU is blocklisted)');
  }
  if (gl.getExtension('EXT_color_buffer_float') === null) {
    throw new BackendError('no usable GPU context: WebGL2 lacks EXT_color_buffer_float, which float32 kernels need');
  }
  return gl;
}

/** What a GPU backend would run on, from a context made and dropped (for `auto`). */
export function probeRenderer(factory: ContextFactory = createGLContext): RendererInfo {
  return probeWith(factory);
}
