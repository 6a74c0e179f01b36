/**
 * The `initlab` command: `--help` / `-h` prints help and never runs a command, every subcommand has a help text,
 * unknown flags are typed errors. Calls `main([...])` with stdout captured.
 */
import { expect } from 'chai';
import { DomainError } from '../../src/core/errors.js';
import { main } from '../../src/cli/main.js';
import { listInitializers } from '../../src/init/index.js';

/** Run `main(argv)` with process.stdout.write captured; returns the exit code and what was written. */
async function capture(argv: string[]): Promise<{ code: number; out: string }> {
  const write = process.stdout.write;
  let out = '';
  process.stdout.write = ((s: string | Uint8Array) => {
    out += typeof s === 'string' ? s : Buffer.from(s).toString('utf8');
    return true;
  }) as typeof process.stdout.write;
  try {
    const code = await main(argv);
    return { code, out };
  } finally {
    process.stdout.write = write;
  }
}

describe('cli: initlab <command>', () => {
  for (const cmd of ['run', 'schemes', 'doctor']) {
    for (const flag of ['--help', '-h']) {
      it(`initlab ${cmd} ${flag} prints the command's help and does not run it`, async () => {
        const { code, out } = await capture([cmd, flag]);
        expect(code).to.equal(0);
        expect(out).to.match(new RegExp(`^initlab ${cmd} `));
        // What running would print: doctor's report header, schemes' entries, run's report path.
        expect(out).to.not.include('initlab doctor\n');
        expect(out).to.not.include('kind: tensor');
        expect(out).to.not.include('Report:');
      });
    }
  }

  it('--help after other arguments still only prints help', async () => {
    const { code, out } = await capture(['doctor', '--bogus', '--help']);
    expect(code).to.equal(0);
    expect(out).to.match(/^initlab doctor /);
  });

  it('the top-level help names every command and how to get its help', async () => {
    const { code, out } = await capture(['--help']);
    expect(code).to.equal(0);
    for (const cmd of ['run', 'schemes', 'doctor']) expect(out).to.match(new RegExp(`\\n  ${cmd} `));
    expect(out).to.include("'initlab <command> --help'");
  });

  for (const cmd of ['schemes', 'doctor']) {
    it(`initlab ${cmd} rejects an unknown flag or argument with a DomainError naming it, before running`, async () => {
      let caught: unknown;
      let out = '';
      try {
        ({ out } = await capture([cmd, '--verbose']));
      } catch (e) {
        caught = e;
      }
      expect(caught).to.be.instanceOf(DomainError);
      expect((caught as Error).message).to.equal('unknown flag --verbose; this command takes no flags');
      expect(out).to.equal('');
      await capture([cmd, 'extra']).then(
        () => expect.fail('expected a DomainError'),
        (e: unknown) => expect(e).to.be.instanceOf(DomainError).with.property('message').that.includes('unexpected argument "extra"'),
      );
    });
  }

  it('initlab schemes (no flags) runs: one block per registered initializer', async () => {
    const { code, out } = await capture(['schemes']);
    expect(code).to.equal(0);
    for (const e of listInitializers()) expect(out).to.include(`${e.name}`);
    expect(out.match(/\n  kind: /g)?.length).to.equal(listInitializers().length);
  });

  it('initlab run rejects an unknown flag with a DomainError listing the known ones', async () => {
    await capture(['run', '--depht', '3']).then(
      () => expect.fail('expected a DomainError'),
      (e: unknown) => expect(e).to.be.instanceOf(DomainError).with.property('message').that.match(/^unknown flag --depht; known flags: --depth, /),
    );
  });
});
