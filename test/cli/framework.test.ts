/**
 * The flag framework (declared flags → typed record, help text) and `--scheme` parsing.
 */
import { expect } from 'chai';
import { helpText } from '../../src/cli/framework/command.js';
import { flagName, parseArgs, UsageError } from '../../src/cli/framework/flags.js';
import { parseSchemeArg, schemeFromArg } from '../../src/cli/scheme-arg.js';
import { nearestName } from '../../src/core/options.js';

const SPECS = {
  depth: { kind: 'int', min: 1, max: 10, default: 3, help: 'layers' },
  lr: { kind: 'float', min: 0, openMin: true, max: 1, help: 'rate' },
  mode: { kind: 'enum', values: ['a', 'b'] as const, default: 'a', help: 'mode' },
  sizes: { kind: 'list', of: 'int', min: 1, max: 100, default: [1, 2], help: 'sizes' },
  name: { kind: 'string', help: 'a name' },
  scheme: { kind: 'string', repeat: true, help: 'schemes' },
  weightDecay: { kind: 'float', min: 0, max: 1, default: 0, help: 'decay' },
  json: { kind: 'boolean', help: 'json' },
} as const;

const parse = (argv: string[], positionals = 0): ReturnType<typeof parseArgs<typeof SPECS>> => parseArgs(argv, SPECS, positionals, nearestName, 'test');

describe('cli framework: declared flags', () => {
  it('gives the typed record: defaults, switches, repeated flags, --name=value, kebab-case names', () => {
    const none = parse([]).flags;
    expect(none).to.deep.equal({ depth: 3, lr: undefined, mode: 'a', sizes: [1, 2], name: undefined, scheme: [], weightDecay: 0, json: false });
    const { flags, positionals } = parse(['--depth', '7', '--lr=0.5', '--mode', 'b', '--sizes', '4,5,6', '--scheme', 'x', '--scheme=y:s=1', '--weight-decay', '0.1', '--json', 'pos'], 1);
    expect(flags).to.deep.equal({ depth: 7, lr: 0.5, mode: 'b', sizes: [4, 5, 6], name: undefined, scheme: ['x', 'y:s=1'], weightDecay: 0.1, json: true });
    expect(positionals).to.deep.equal(['pos']);
    // The types follow the declaration (a compile-time check as much as a runtime one).
    const depth: number = flags.depth;
    const lr: number | undefined = flags.lr;
    const mode: 'a' | 'b' = flags.mode;
    expect([depth, lr, mode]).to.deep.equal([7, 0.5, 'b']);
    expect(flagName('weightDecay')).to.equal('weight-decay');
  });

  it('rejects every bad value with a UsageError naming the flag, the range and the value', () => {
    const cases: [string[], string][] = [
      [['--depth', '0'], '--depth must be an integer in [1, 10], got "0"'],
      [['--depth', ''], '--depth must be an integer in [1, 10], got ""'],
      [['--depth', '2e400'], '--depth must be an integer in [1, 10], got "2e400"'],
      [['--lr', '0'], '--lr must be a number in (0, 1], got "0"'],
      [['--lr', 'NaN'], '--lr must be a number in (0, 1], got "NaN"'],
      [['--sizes', '1,,2'], '--sizes must be a comma-separated list of integers in [1, 100], got "1,,2"'],
      [['--mode', 'c'], '--mode must be one of a, b, got "c"'],
      [['--name', ''], '--name must be a non-empty string, got ""'],
      [['--dpeth', '3'], 'unknown flag --dpeth for initlab test (did you mean --depth?); its flags: --depth, --lr, --mode, --sizes, --name, --scheme, --weight-decay, --json'],
    ];
    for (const [argv, message] of cases) expect(() => parse(argv), argv.join(' ')).to.throw(UsageError, message);
  });

  it('generates the help from the declaration: metavars, ranges, values, defaults', () => {
    const text = helpText({ name: 'test', summary: 'a test command', flags: SPECS, run: () => 0 });
    expect(text.split('\n')[0]).to.equal('initlab test [flags] — a test command');
    // The flag column is as wide as the longest flag (--weight-decay X) plus two spaces.
    const lines = [
      '  --depth N         layers in [1, 10] (default 3)',
      '  --lr X            rate in (0, 1]',
      '  --mode X          mode a | b (default a)',
      '  --sizes a,b       sizes each in [1, 100] (default 1,2)',
      '  --scheme S        schemes (repeatable)',
      '  --weight-decay X  decay in [0, 1] (default 0)',
      '  --json            json',
    ];
    for (const line of lines) expect(text.split('\n')).to.include(line);
  });
});

describe('cli: --scheme name:key=value', () => {
  it('types the options: numbers, number lists, booleans, strings', () => {
    expect(parseSchemeArg('fractional:s=1.5')).to.deep.equal({ name: 'fractional', options: { s: 1.5 } });
    expect(parseSchemeArg('meanfield:gammas=1,1,0.5:fold=true')).to.deep.equal({ name: 'meanfield', options: { gammas: [1, 1, 0.5], fold: true } });
    expect(parseSchemeArg('lps_r')).to.deep.equal({ name: 'lps_r', options: {} });
    expect(parseSchemeArg('variance_scaling:mode=fan_avg:scale=-1e-2')).to.deep.equal({ name: 'variance_scaling', options: { mode: 'fan_avg', scale: -0.01 } });
  });

  it('makes the SchemeSpec of the comparison engine (stable id with sorted keys)', () => {
    const s = schemeFromArg('meanfield:outputInit=authors-code:gammas=1,0.5');
    expect(s.id).to.equal('meanfield:gammas=1,0.5:outputInit=authors-code');
    expect(s.name).to.equal('meanfield');
    expect(s.lrRule).to.equal('meanfield');
    expect(schemeFromArg('mean_field').name).to.equal('meanfield'); // an alias resolves to the canonical name
  });

  it('rejects malformed options and unknown names with a UsageError', () => {
    expect(() => parseSchemeArg('fractional:s=')).to.throw(UsageError, '--scheme "fractional:s=": option s has no value; write s=VALUE');
    expect(() => parseSchemeArg('fractional:s=1:s=2')).to.throw(UsageError, 'option s is given twice');
    expect(() => parseSchemeArg('meanfield:gammas=1,a')).to.throw(UsageError, 'mixes numbers and words');
    expect(() => parseSchemeArg('nope')).to.throw(UsageError, /unknown scheme "nope"; schemes: constant, /);
  });
});
