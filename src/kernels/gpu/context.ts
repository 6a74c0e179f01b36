import { createRequire } from 'node:module';
import { BackendError } from '../../core/errors.js';

/**
 * Creating a WebGL context in Node through headless-gl (`gl`), and telling what renders it.
 *
 * Every way this can fail is turned into a BackendError whose message says what is missing and how to
 * get it, because the usual causes (an optional native module npm skipped silently, no X display on a
 * server) are invisible otherwise.
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

/** headless-gl's entry point: `gl(width, height, attributes)`, null when no context can be made. */
export type GLFactory = (width: number, height: number, attributes?: Record<string, unknown>) => GLContext | null;

/** What renders a context, as far as WebGL lets us see. */
export interface RendererInfo {
  renderer: string;
  vendor: string;
  /** A CPU rasterizer (llvmpipe, softpipe, SwiftShader, ...): works, but slower than the CPU kernels. */
  software: boolean;
}

/** Makes the context a GPU backend runs on; throws BackendError saying what is missing. */
export type ContextFactory = () => GLContext;

export interface CreateContextOptions {
  /** Loads headless-gl; injectable so that a missing native build can be tested. */
  loadGl?: () => GLFactory;
  /** Environment to read DISPLAY and INITLAB_GPU_FAIL from (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
}

const requireCjs = createRequire(import.meta.url);

const APT_PACKAGES = 'libxi-dev libxext-dev libx11-dev libglu1-mesa-dev libglew-dev pkg-config';

function loadHeadlessGl(): GLFactory {
  // gl is a CommonJS native module; its export is the context factory.
  return requireCjs('gl') as GLFactory;
}

/**
 * Create a 1x1 headless WebGL context, or throw a BackendError explaining why none can be created.
 * `INITLAB_GPU_FAIL=context` in the environment simulates the failure (test hook).
 */
export function createGLContext(options: CreateContextOptions = {}): GLContext {
  const env = options.env ?? process.env;
  if (env.INITLAB_GPU_FAIL === 'context') {
    throw new BackendError('no GPU context: simulated by INITLAB_GPU_FAIL=context');
  }
  let factory: GLFactory;
  try {
    factory = (options.loadGl ?? loadHeadlessGl)();
  } catch (e) {
    const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new BackendError(
      `no GPU context: the native module \`gl\` (headless-gl) is not built (${why}); ` +
        `npm skips a failed optional dependency silently. On Debian/Ubuntu install ${APT_PACKAGES} ` +
        `and run \`npm rebuild gl\` (or reinstall)`,
    );
  }
  let gl: GLContext | null = null;
  let thrown = '';
  try {
    gl = factory(1, 1, { preserveDrawingBuffer: true });
  } catch (e) {
    thrown = e instanceof Error ? `: ${e.message}` : '';
  }
  if (gl === null || typeof gl.getExtension !== 'function') {
    const display = env.DISPLAY;
    if (display === undefined || display === '') {
      throw new BackendError(
        'no GPU context: no X display (DISPLAY is unset); headless-gl needs one. ' +
          'On a headless server run under `xvfb-run -a` (packages xvfb xauth libgl1-mesa-dri)',
      );
    }
    throw new BackendError(
      `no GPU context: headless-gl could not create a WebGL context on DISPLAY=${display}${thrown}; ` +
        'check that the X server is running and that Mesa (libgl1-mesa-dri) or a GPU driver is installed',
    );
  }
  if (gl.getExtension('OES_texture_float') === null || gl.getExtension('OES_texture_float') === undefined) {
    destroyGLContext(gl);
    throw new BackendError('no usable GPU context: WebGL lacks OES_texture_float, which float32 kernels need');
  }
  return gl;
}

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
export function probeRenderer(factory: ContextFactory = createGLContext): RendererInfo {
  const gl = factory();
  try {
    return rendererInfo(gl);
  } finally {
    destroyGLContext(gl);
  }
}
