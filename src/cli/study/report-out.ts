/**
 * What `compare` and `propagate` share around the engine: the `--out` check before any computing, the progress shown
 * while it runs (a bar on a terminal, one line per item on a pipe), and the report written atomically into
 * `<out>/<timestamp>/` (index.html + results.json).
 */
import cliProgress from 'cli-progress';
import { join } from 'node:path';
import type { CompareProgress } from '../../experiments/compare/index.js';
import { checkOutputDir, reportDirName, writeReportDir } from '../../report/output.js';
import type { CommandIo } from '../framework/command.js';

/** `--out` checked (absolute path) before any work: a file, a read-only folder or a pseudo file system is refused. */
export const checkedOut = (out: string): string => checkOutputDir(out, '--out');

/** A progress callback for the engine and its `stop()`: a cli-progress bar on a TTY, plain lines on a pipe, or nothing. */
export function studyProgress(what: string, enabled: boolean, stream: NodeJS.WriteStream = process.stderr): { onProgress: (e: CompareProgress) => void; stop: () => void } {
  if (!enabled) return { onProgress: () => undefined, stop: () => undefined };
  if (stream.isTTY !== true) {
    // A log or a pipe gets one line per finished item, not the per-step events a bar redraws from.
    let last = -1;
    const onProgress = (e: CompareProgress): void => {
      if (e.done === last) return;
      last = e.done;
      stream.write(`  ${what} ${e.done}/${e.total} ${e.label}\n`);
    };
    return { onProgress, stop: () => undefined };
  }
  const bar = new cliProgress.SingleBar(
    { stream, format: `${what} [{bar}] {value}/{total} | {label} | {eta_formatted} left`, hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    onProgress: (e) => {
      if (!started) {
        bar.start(e.total, e.done, { label: e.label });
        started = true;
      } else bar.update(e.done, { label: e.label });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

/** Write `files` as the report folder `<out>/<timestamp of started>/`; its path. */
export function writeStudyReport(out: string, started: string, files: Readonly<Record<string, string>>): string {
  return writeReportDir(out, reportDirName(started), files);
}

/** The closing lines: where the report is. */
export function reportLines(dir: string, io: CommandIo): void {
  io.err(`Report: ${join(dir, 'index.html')}\n        ${join(dir, 'results.json')} holds every number behind it\n`);
}
