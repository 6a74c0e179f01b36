/**
 * The headless Chromium of the browser tests (Debian's `chromium`, driven by playwright-core, which downloads no
 * browser): looked up in INITLAB_CHROMIUM (which must exist when set), then /usr/bin/chromium, /usr/bin/chromium-browser.
 * Without one a suite is pending and says why, except under CI (env CI set), where it fails: .ci/run installs it.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** The Chromium executable, or null; a set INITLAB_CHROMIUM that does not exist is an error, not a skip. */
export function findChromium(): string | null {
  const forced = process.env.INITLAB_CHROMIUM;
  if (forced !== undefined && forced !== '') {
    if (!existsSync(forced)) throw new Error(`INITLAB_CHROMIUM=${forced} does not exist`);
    return forced;
  }
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p)) ?? null;
}

/**
 * Launch Chromium with `args` for a mocha `before` hook (`ctx` = its `this`): without a browser, fail under CI,
 * otherwise print why and mark the suite pending (ctx.skip() throws, so nothing after it runs).
 */
export async function launchChromium(ctx: Mocha.Context, args: readonly string[]): Promise<Browser> {
  const exe = findChromium();
  if (exe === null) {
    const msg = "no Chromium found (INITLAB_CHROMIUM, /usr/bin/chromium, /usr/bin/chromium-browser; install Debian's chromium)";
    if (process.env.CI !== undefined && process.env.CI !== '') throw new Error(`CI is set and ${msg}`);
    console.log(`      browser tests pending: ${msg}`);
    ctx.skip();
  }
  return chromium.launch({ executablePath: exe as string, args: [...args] });
}
