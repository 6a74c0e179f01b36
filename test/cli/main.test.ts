/**
 * The `initlab` command table: every command's `--help` / `-h` prints its help and never runs it, bad flags exit 2
 * with one line naming the flag, the range and the value, unknown commands and flags list the valid ones with a
 * did-you-mean. Runs the CLI in-process (`runCli`) with stdout and stderr captured.
 */
import { expect } from 'chai';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMANDS, main } from '../../src/cli/main.js';
import { defineCommand } from '../../src/cli/framework/command.js';
import { UsageError } from '../../src/cli/framework/flags.js';
import { listInitializers } from '../../src/init/index.js';
import { listBackends } from '../../src/kernels/index.js';
import { cli } from './capture.js';

/** The one line of a rejected command: `initlab: <Error>: <message>` and a newline, nothing else. */
function oneLine(err: string): string {
  expect(err.endsWith('\n'), err).to.equal(true);
  expect(err.slice(0, -1)).to.not.include('\n');
  return err.slice(0, -1);
}

describe('cli: the command table', () => {
  for (const c of COMMANDS) {
    for (const name of [c.name, ...c.aliases]) {
      for (const flag of ['--help', '-h']) {
        it(`initlab ${name} ${flag} prints the generated help, exits 0 and runs nothing`, async () => {
          const parent = mkdtempSync(join(tmpdir(), 'initlab-help-'));
          const dir = join(parent, 'out');
          // Arguments that would make the command work (and write into dir) if it ran; --help must win.
          const { code, out, err } = await cli([name, '--out', dir, flag, '--seed', '1']);
          expect(code).to.equal(0);
          expect(err).to.equal('');
          expect(out).to.equal(c.help());
          expect(out).to.match(new RegExp(`^initlab ${c.name} `));
          expect(out).to.include('--help, -h');
          expect(existsSync(dir)).to.equal(false);
          expect(readdirSync(parent)).to.deep.equal([]);
        });
      }
    }
  }

  it('--help never runs the command, even after a bad flag', async () => {
    let ran = 0;
    const probe = defineCommand({ name: 'probe', summary: 'counts its runs', flags: { n: { kind: 'int', min: 1, max: 3, default: 1, help: 'a number' } }, run: () => ++ran });
    expect((await cli(['probe', '--n', '99', '--help'], [probe])).code).to.equal(0);
    expect((await cli(['probe', '-h', '--bogus'], [probe])).code).to.equal(0);
    expect(ran).to.equal(0);
    expect((await cli(['probe', '--n', '2'], [probe])).code).to.equal(1); // run returns ++ran = 1
    expect(ran).to.equal(1);
  });

  it('a command runs under its aliases too; help and the command list name them', async () => {
    let ran = 0;
    const probe = defineCommand({ name: 'compare', aliases: ['run'], summary: 'the main job', flags: {}, run: () => { ran++; return 0; } });
    expect((await cli(['run'], [probe])).code).to.equal(0);
    expect(ran).to.equal(1);
    expect((await cli(['compare', '--help'], [probe])).out).to.include('\n\nAlso run as: initlab run\n');
    expect((await cli(['--help'], [probe])).out).to.include('\n  compare      the main job (also: run)\n');
    expect((await cli(['rnu'], [probe])).err).to.equal('initlab: UsageError: unknown command "rnu" (did you mean run?); commands: compare, run\n');
  });

  it('the top-level help lists every command with its summary and how to get its help', async () => {
    const { code, out } = await cli(['--help']);
    expect(code).to.equal(0);
    const summary = (c: (typeof COMMANDS)[number]): string => (c.aliases.length === 0 ? c.summary : `${c.summary} (also: ${c.aliases.join(', ')})`);
    for (const c of COMMANDS) expect(out).to.match(new RegExp(`\\n  ${c.name} +${summary(c).replace(/[()|.*+?[\]\\^$]/g, '\\$&')}\\n`));
    expect(out).to.include(' (also: run)\n');
    expect(out).to.include("'initlab <command> --help'");
  });

  it('an unknown command exits 2 listing the commands, with a did-you-mean', async () => {
    const { code, out, err } = await cli(['trian']);
    expect(code).to.equal(2);
    expect(out).to.equal('');
    expect(oneLine(err)).to.equal(`initlab: UsageError: unknown command "trian" (did you mean train?); commands: ${COMMANDS.flatMap((c) => [c.name, ...c.aliases]).join(', ')}`);
    expect(oneLine((await cli(['zzz'])).err)).to.match(/^initlab: UsageError: unknown command "zzz"; commands: compare, run, propagate, train, design/);
  });

  it('main throws the typed error for callers that handle it themselves', async () => {
    let caught: unknown;
    try {
      await main(['design', '784-10', '--tol', '-1']);
    } catch (e) {
      caught = e;
    }
    expect(caught).to.be.instanceOf(UsageError);
  });

  const bad: [string[], string][] = [
    [['train', '--lr', '0'], 'initlab: UsageError: --lr must be a number in (0, 10], got "0"'],
    [['train', '--batch', '1.5'], 'initlab: UsageError: --batch must be an integer in [1, 65536], got "1.5"'],
    [['train', '--epochs', 'many'], 'initlab: UsageError: --epochs must be an integer in [1, 10000], got "many"'],
    [['train', '--optimizer', 'adagrad'], 'initlab: UsageError: --optimizer must be one of sgd, adam, adamw, got "adagrad"'],
    [['train', '--momentum=1'], 'initlab: UsageError: --momentum must be a number in [0, 0.999], got "1"'],
    [['train', '--lr'], 'initlab: UsageError: --lr needs a value (base learning rate)'],
    [['train', '--seed', '1', '--seed', '2'], 'initlab: UsageError: --seed is given twice; give it once'],
    [['train', '--json=yes'], 'initlab: UsageError: --json is a switch (give it alone, or =true / =false), got "yes"'],
    [['train', 'extra'], 'initlab: UsageError: unexpected argument "extra" to initlab train; it takes only flags (--name value)'],
    [['train', '--scheme', 'meanfield:gammas'], 'initlab: UsageError: --scheme "meanfield:gammas": options are written name:key=value[:key=value], got "gammas"'],
    [['design', '784-10', '--init', 'he'], 'initlab: UsageError: --init must be one of fan_in, fan_out, arith, geometric, given, got "he"'],
    [['design', '784-10', '--weight-vars', '1,x'], 'initlab: UsageError: --weight-vars must be a comma-separated list of numbers in [1e-300, 1e+300], got "1,x"'],
    [['design'], 'initlab: UsageError: initlab design needs <arch>: layer widths like 784-300-100-10, or a .json file of ops ([op, …] or {"inputShape", "ops"}) (see initlab design --help)'],
    [['run', '--depth', 'x'], 'initlab: UsageError: --depth must be an integer in [1, 1000], got "x"'],
    [['compare', '--depth', '0'], 'initlab: UsageError: --depth must be an integer in [1, 1000], got "0"'],
    [['compare', '--batch', '2.5'], 'initlab: UsageError: --batch must be an integer in [1, 65536], got "2.5"'],
    [['propagate', '--depths', '2,0'], 'initlab: UsageError: --depths must be a comma-separated list of integers in [1, 1000], got "2,0"'],
    [['schemes', '--verbose'], 'initlab: UsageError: unknown flag --verbose for initlab schemes; its flags: --json'],
    [['train', '--backend', 'nonesuch'], `initlab: BackendError: --backend must be one of ${listBackends().join(', ')}, got "nonesuch"`],
  ];
  for (const [argv, line] of bad) {
    it(`initlab ${argv.join(' ')} exits 2 with one line naming the flag`, async () => {
      const { code, out, err } = await cli(argv);
      expect(code).to.equal(2);
      expect(out).to.equal('');
      expect(oneLine(err)).to.equal(line);
    });
  }

  it('an unknown flag lists the command\'s flags with a did-you-mean', async () => {
    const { code, err } = await cli(['train', '--learning-rate', '0.1']);
    expect(code).to.equal(2);
    expect(oneLine(err)).to.match(/^initlab: UsageError: unknown flag --learning-rate for initlab train; its flags: --scheme, --arch, --activation, /);
    expect(oneLine((await cli(['train', '--epoch', '2'])).err)).to.match(/^initlab: UsageError: unknown flag --epoch for initlab train \(did you mean --epochs\?\); its flags: /);
  });

  it('an unknown --scheme name lists the schemes with a did-you-mean', async () => {
    const { code, err } = await cli(['train', '--scheme', 'fractinal:s=1.5']);
    expect(code).to.equal(2);
    expect(oneLine(err)).to.match(/^initlab: UsageError: --scheme "fractinal:s=1.5": unknown scheme "fractinal" \(did you mean fractional\?\); schemes: .*kaiming_normal, /);
  });

  it('--out that is a file or cannot be created exits 2 before any work', async () => {
    const { code, err } = await cli(['train', '--out', '/proc/nope/deeper', '--data', 'never-read.csv']);
    expect(code).to.equal(2);
    expect(oneLine(err)).to.match(/^initlab: ReportError: --out must not be under \/proc \(a pseudo file system\), got "\/proc\/nope\/deeper"$/);
  });

  it('initlab schemes --json is every registered initializer as data', async () => {
    const { code, out } = await cli(['schemes', '--json']);
    expect(code).to.equal(0);
    const list = JSON.parse(out) as { name: string; kind: string; provenance: string }[];
    expect(list.map((e) => e.name)).to.deep.equal(listInitializers().map((e) => e.name));
    expect(list.every((e) => (e.kind === 'tensor' || e.kind === 'network') && e.provenance.length > 0)).to.equal(true);
    const text = await cli(['schemes']);
    expect(text.out.match(/\n {2}kind: /g)?.length).to.equal(listInitializers().length);
  });

  it('initlab doctor --json reports the registry: backends, auto, the agreement checks', async () => {
    const { code, out } = await cli(['doctor', '--json']);
    expect(code).to.equal(0);
    const r = JSON.parse(out) as { names: string[]; backends: { name: string; reference: boolean }[]; auto: { backend: string | null }; checks: { backend: string }[] };
    expect(r.names).to.deep.equal(listBackends());
    expect(r.backends.find((b) => b.name === 'cpu')?.reference).to.equal(true);
    expect(r.checks.map((c) => c.backend)).to.deep.equal(r.backends.filter((b) => !b.reference).map((b) => b.name));
  });
});
