/**
 * The progress bar of `fit`: `cli-progress` on an interactive terminal only, so logs, CI output and piped runs stay
 * clean.
 */
import cliProgress from 'cli-progress';

/** What the loop calls: one update per step, a stop at the end. */
export interface Progress {
  update(step: number, loss: number): void;
  stop(): void;
}

const QUIET: Progress = { update: () => undefined, stop: () => undefined };

/**
 * A bar over `total` steps written to `stream`, or a no-op when `enabled` is false or the stream is not a TTY.
 * The bar is redrawn at most every 100 ms (cli-progress's throttle), so it costs nothing per step.
 */
export function createProgress(total: number, enabled: boolean, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!enabled || stream.isTTY !== true) return QUIET;
  const bar = new cliProgress.SingleBar(
    { stream, format: 'fit [{bar}] {value}/{total} steps | loss {loss} | {eta_formatted} left', hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { loss: '-' });
  return {
    update: (step, loss) => bar.update(step, { loss: loss.toPrecision(4) }),
    stop: () => bar.stop(),
  };
}
