/**
 * What a WebGL context is to the gpu backend, and what renders it: the environment-free half of the context code,
 * shared by context.ts (headless-gl in Node) and context.browser.ts (a canvas in the page).
 */

/** The part of a WebGL 1 context this package reads directly; gpu.js drives the rest. */
export interface GLContext {
  readonly RENDERER: number;
  readonly VENDOR: number;
  readonly MAX_TEXTURE_SIZE: number;
  getParameter(pname: number): unknown;
  getExtension(name: string): unknown;
  isContextLost(): boolean;
}

/** What renders a context, as far as WebGL lets us see. */
export interface RendererInfo {
  renderer: string;
  vendor: string;
  /** A CPU rasterizer (llvmpipe, softpipe, SwiftShader, ...): works, but slower than the CPU kernels. */
  software: boolean;
}

/** Makes the context a GPU backend runs on; throws BackendError saying what is missing. */
export type ContextFactory = () => GLContext;

/** Release a context now rather than at process exit (headless-gl's STACKGL_destroy_context). */
export function destroyGLContext(gl: GLContext): void {
  const ext = gl.getExtension('STACKGL_destroy_context') as { destroy?: () => void } | null;
  ext?.destroy?.();
}

const SOFTWARE_RENDERERS = /llvmpipe|softpipe|swiftshader|swrast|lavapipe|software|microsoft basic render/i;

/** True when `renderer` names a CPU rasterizer rather than a GPU. */
export function isSoftwareRenderer(renderer: string): boolean {
  return SOFTWARE_RENDERERS.test(renderer);
}

/**
 * The renderer behind `gl`. Browsers expose it through WEBGL_debug_renderer_info; headless-gl masks
 * RENDERER as "ANGLE" and has no such extension, but its `_getParameterDirect` reads the unmasked
 * string from ANGLE, e.g. "ANGLE (Mesa/X.org llvmpipe (LLVM 15.0.6, 256 bits) OpenGL 4.5 core)".
 */
export function rendererInfo(gl: GLContext): RendererInfo {
  const asString = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
  const debug = gl.getExtension('WEBGL_debug_renderer_info') as
    | { UNMASKED_RENDERER_WEBGL: number; UNMASKED_VENDOR_WEBGL: number }
    | null;
  const direct = (gl as { _getParameterDirect?: (p: number) => unknown })._getParameterDirect?.bind(gl);
  const read = (pname: number, unmasked: number | undefined): string =>
    (unmasked !== undefined ? asString(gl.getParameter(unmasked)) : null) ??
    (direct !== undefined ? asString(direct(pname)) : null) ??
    asString(gl.getParameter(pname)) ??
    'unknown';
  const renderer = read(gl.RENDERER, debug?.UNMASKED_RENDERER_WEBGL);
  const vendor = read(gl.VENDOR, debug?.UNMASKED_VENDOR_WEBGL);
  return { renderer, vendor, software: isSoftwareRenderer(renderer) };
}

/**
 * Look at what a GPU backend would run on without keeping the context: for `auto` and doctor.
 * Throws BackendError (from createGLContext) when there is no context.
 */
export function probeRenderer(factory: ContextFactory): RendererInfo {
  const gl = factory();
  try {
    return rendererInfo(gl);
  } finally {
    destroyGLContext(gl);
  }
}
