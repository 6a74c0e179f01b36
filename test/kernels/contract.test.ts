/**
 * The kernels layer's public boundary (issue 11): malformed providers, registries, 'auto' inputs, GPU options and
 * kernel operands are refused with typed errors naming the argument, the allowed kind or range and the value given,
 * before any work (and, for a provider, at registration rather than at the first setBackend).
 */
import { expect } from 'chai';
import { BackendError, DomainError } from '../../src/core/errors.js';
import type { BackendProvider } from '../../src/kernels/backend.js';
import { CpuBackend } from '../../src/kernels/cpu/backend.js';
import { GpuBackend } from '../../src/kernels/gpu/backend.js';
import { makeGpuProvider } from '../../src/kernels/gpu/index.js';
import { BackendRegistry, decideAuto, listBackends, registerBackend } from '../../src/kernels/registry.js';
import { expectOperandChecks } from '../support/kernel-operands.js';
import { fakeProvider } from './fakes.js';

/** Arguments that break the declared types on purpose (the checks are for JavaScript callers). */
const junk = <T>(v: unknown): T => v as T;
const quiet = { announce: (): void => undefined };

describe('kernels: typed errors at the public boundary', () => {
  describe('providers are checked when registered', () => {
    const cases: [string, unknown, RegExp | string][] = [
      ['null', null, 'provider must be a BackendProvider {name, priority, probe(), create()}, got null'],
      ['no name', { priority: 0, probe: () => null, create: () => null }, 'provider.name must match /^[a-z][a-z0-9_-]*$/ and must not be "auto", got undefined'],
      ['a name with spaces', { ...fakeProvider('x'), name: 'my gpu' }, 'provider.name must match /^[a-z][a-z0-9_-]*$/ and must not be "auto", got "my gpu"'],
      ['priority NaN', { ...fakeProvider('x'), priority: Number.NaN }, 'provider.priority must be a finite number (or -Infinity), got NaN'],
      ['priority as a string', { ...fakeProvider('x'), priority: '1' }, 'provider.priority must be a finite number (or -Infinity), got "1"'],
      ['reference not boolean', { ...fakeProvider('x'), reference: 1 }, 'provider.reference must be a boolean or absent, got 1'],
      ['probe missing', { ...fakeProvider('x'), probe: undefined }, 'provider.probe must be a function, got undefined'],
      ['create not a function', { ...fakeProvider('x'), create: 'new' }, 'provider.create must be a function, got "new"'],
    ];
    for (const [what, p, message] of cases) {
      it(`BackendRegistry.register rejects a provider with ${what} (BackendError), leaving the registry as it was`, () => {
        const registry = new BackendRegistry([fakeProvider('ok')], quiet);
        expect(() => registry.register(junk(p))).to.throw(BackendError, message);
        expect(registry.names()).to.deep.equal(['auto', 'ok']);
      });
    }

    it('registerBackend refuses a malformed provider or factory up front, never listing it', () => {
      const before = listBackends();
      expect(() => registerBackend(junk({ name: 'nofactory', priority: 0, probe: () => null }))).to.throw(BackendError, 'provider.create must be a function, got undefined');
      expect(() => registerBackend('halfway', junk(42))).to.throw(BackendError, 'registerBackend(name, factory): factory must be a function, got 42 for "halfway"');
      expect(() => registerBackend('Bad Name', () => new CpuBackend())).to.throw(BackendError, 'registerBackend(name, factory): name must match');
      expect(() => registerBackend(junk(null))).to.throw(BackendError, 'provider must be a BackendProvider');
      expect(listBackends()).to.deep.equal(before);
    });

    it('a create() that returns something other than a Backend is a BackendError, remembered as a failure', () => {
      const registry = new BackendRegistry([{ ...fakeProvider('hollow'), create: junk(() => ({ name: 'hollow', matmul: () => null })) }], quiet);
      expect(() => registry.set('hollow')).to.throw(BackendError, 'backend "hollow": provider.create() must return a Backend, but its result lacks the method(s) describe, relu, reluBackward, addBias, linear');
      expect(() => registry.instance('hollow')).to.throw(BackendError, /lacks the method/);
      const nothing = new BackendRegistry([{ ...fakeProvider('nothing'), create: junk(() => undefined) }], quiet);
      expect(() => nothing.set('nothing')).to.throw(BackendError, 'backend "nothing": provider.create() must return a Backend, got undefined');
    });

    it('a probe that answers junk reads as unavailable with the answer quoted, so auto passes over it', () => {
      const odd: BackendProvider = { ...fakeProvider('odd', { priority: 9 }), probe: junk(() => ({ available: 'yes' })) };
      const d = decideAuto([odd, fakeProvider('ref', { reference: true })]);
      expect(d.backend).to.equal('ref');
      expect(d.skipped).to.deep.equal([{ name: 'odd', reason: 'unavailable: probe answered object, not { available: boolean, fast: boolean, reason: string }' }]);
    });
  });

  describe('BackendRegistry(providers, options)', () => {
    it('needs an array of providers with distinct names (BackendError)', () => {
      expect(() => new BackendRegistry(junk({}), quiet)).to.throw(BackendError, 'providers must be an array of BackendProviders, got object');
      expect(() => new BackendRegistry(junk([fakeProvider('a'), null]), quiet)).to.throw(BackendError, 'providers[1] must be a BackendProvider');
      expect(() => new BackendRegistry([fakeProvider('a'), fakeProvider('a')], quiet)).to.throw(BackendError, 'providers[1].name must differ from providers[0].name, got "a" twice');
    });

    it('needs an options object with a function announce and no other key (DomainError)', () => {
      expect(() => new BackendRegistry([], junk(null))).to.throw(DomainError, 'options must be an object, got null');
      expect(() => new BackendRegistry([], junk({ announce: 'stderr' }))).to.throw(DomainError, 'options.announce must be a function or undefined, got "stderr"');
      expect(() => new BackendRegistry([], junk({ anounce: () => undefined }))).to.throw(DomainError, 'unknown option options.anounce for BackendRegistry (did you mean announce?); allowed: announce');
      expect(new BackendRegistry([], { announce: undefined }).names()).to.deep.equal(['auto']);
    });
  });

  describe('decideAuto(providers, failed)', () => {
    it('rejects providers that are not an array of providers (BackendError)', () => {
      expect(() => decideAuto(junk(() => 1))).to.throw(BackendError, 'providers must be an array of BackendProviders, got function');
      expect(() => decideAuto(junk([undefined]))).to.throw(BackendError, 'providers[0] must be a BackendProvider {name, priority, probe(), create()}, got undefined');
      expect(() => decideAuto(junk(['cpu']))).to.throw(BackendError, 'providers[0] must be a BackendProvider');
    });

    it('rejects a failed that is not a Map of names to reasons (BackendError)', () => {
      const ps = [fakeProvider('a')];
      expect(() => decideAuto(ps, junk(1e308))).to.throw(BackendError, 'failed must be a Map (provider name -> reason), got 1e+308');
      expect(() => decideAuto(ps, junk({ a: 'broke' }))).to.throw(BackendError, 'failed must be a Map (provider name -> reason), got object');
      expect(() => decideAuto(ps, junk(new Map([['a', 3]])))).to.throw(BackendError, 'failed must map provider names to reasons (strings), got an entry "a" -> 3');
      expect(decideAuto(ps, new Map([['b', 'gone']])).backend).to.equal('a');
    });
  });

  describe('GpuBackend options (checked before any WebGL context is made)', () => {
    let calls = 0;
    const factory = junk<() => never>(() => {
      calls++;
      throw new BackendError('no context in this test');
    });
    beforeEach(() => {
      calls = 0;
    });

    const cases: [string, unknown, string][] = [
      ['null', null, 'options must be an object, got null'],
      ['an array', [], 'options must be an object, got []'],
      ['cacheSize 0', { contextFactory: factory, cacheSize: 0 }, 'options.cacheSize must be a positive integer, got 0'],
      ['cacheSize NaN', { contextFactory: factory, cacheSize: Number.NaN }, 'options.cacheSize must be a positive integer, got NaN'],
      ['an unknown fault', { contextFactory: factory, fault: 'context' }, 'options.fault must be "compile", "lost" or undefined, got "context"'],
      ['warn not a function', { contextFactory: factory, warn: true }, 'options.warn must be a function or undefined, got true'],
      ['contextFactory not a function', { contextFactory: 'gl' }, 'options.contextFactory must be a function or undefined, got "gl"'],
      ['a misspelt key', { contextFactory: factory, cachesize: 8 }, 'unknown option options.cachesize for GpuBackend (did you mean cacheSize?); allowed: contextFactory, fault, warn, cacheSize'],
    ];
    for (const [what, options, message] of cases) {
      it(`new GpuBackend(options) with ${what}: DomainError, no context requested`, () => {
        expect(() => new GpuBackend(junk(options))).to.throw(DomainError, message);
        expect(() => makeGpuProvider(junk(options))).to.throw(DomainError, message);
        expect(calls).to.equal(0);
      });
    }

    it('a context factory that returns no context is a BackendError', () => {
      expect(() => new GpuBackend({ contextFactory: junk(() => 42) })).to.throw(BackendError, 'options.contextFactory must return a WebGL context, got 42');
      expect(() => new GpuBackend({ contextFactory: factory })).to.throw(BackendError, 'no context in this test');
      expect(calls).to.equal(1);
    });
  });

  describe('kernel operands', () => {
    it('the CPU backend rejects non-typed-array operands (DTypeError), bad dimensions (ShapeError) and bad flags (DomainError)', () => {
      expectOperandChecks(new CpuBackend());
    });
  });
});
