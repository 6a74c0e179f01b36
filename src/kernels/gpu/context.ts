import { createRequire } from 'node:module';
import { BackendError } from '../../core/errors.js';
import { destroyGLContext, probeRenderer as probeWith, type ContextFactory, type GLContext, type RendererInfo } from './renderer.js';

export { destroyGLContext, isSoftwareRenderer, rendererInfo, type ContextFactory, type GLContext, type RendererInfo } from './renderer.js';

/**
 * Creating a WebGL context in Node through headless-gl (`gl`); what renders it is told by ./renderer.ts (re-exported
 * here). The browser build replaces this file with context.browser.ts (same exports, a canvas's WebGL2 context).
 *
 * Every way this can fail is turned into a BackendError whose message says what is missing and how to
 * get it, because the usual causes (an optional native module npm skipped silently, no X display on a
 * server) are invisible otherwise.
 */

/** headless-gl's entry point: `gl(width, height, attributes)`, null when no context can be made. */
export type GLFactory = (width: number, height: number, attributes?: Record<string, unknown>) => GLContext | null;

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

/**
 * Look at what a GPU backend would run on without keeping the context: for `auto` and doctor.
 * Throws BackendError (from createGLContext) when there is no context.
 */
export function probeRenderer(factory: ContextFactory = createGLContext): RendererInfo {
  return probeWith(factory);
}
