// src/nn's options records are parsed like every other: null, unknown keys and wrong types are DomainErrors.
import { expect } from 'chai';
import { DomainError, DTypeError } from '../../src/core/errors.js';
import type { LayerTensors } from '../../src/init/index.js';
import { denseFromInit, mlpForward } from '../../src/nn/index.js';
import { tensor } from '../../src/tensor/index.js';

const layers: LayerTensors[] = [{ W: Float64Array.from([1, -1]), b: Float64Array.from([0.5]), shape: [1, 2] }];

describe('nn options', () => {
  it('denseFromInit: defaults, and typed errors for null, unknown keys and wrong types', () => {
    const [d] = denseFromInit(layers);
    expect(d!.W.dtype).to.equal('float32');
    expect(d!.W.requiresGrad).to.equal(true);
    const [e] = denseFromInit(layers, { dtype: 'float64', requiresGrad: false });
    expect(e!.W.dtype).to.equal('float64');
    expect(e!.b!.requiresGrad).to.equal(false);
    expect(() => denseFromInit(layers, null as never)).to.throw(DomainError, /^options must be an object, got null$/);
    expect(() => denseFromInit(layers, { dtyp: 'float64' } as never)).to.throw(
      DomainError,
      /^unknown option options\.dtyp for denseFromInit \(did you mean dtype\?\); allowed: dtype, requiresGrad$/,
    );
    expect(() => denseFromInit(layers, { dtype: null } as never)).to.throw(DTypeError, /^options\.dtype must be one of "float32", "float64", got null$/);
    expect(() => denseFromInit(layers, { requiresGrad: 'no' } as never)).to.throw(DomainError, /^options\.requiresGrad must be a boolean \(true or false\), got "no"$/);
  });

  it('mlpForward: hooks must be a record of functions with known keys', () => {
    const net = denseFromInit(layers, { dtype: 'float64', requiresGrad: false });
    const x = tensor([[2, 1]], undefined, { dtype: 'float64' });
    expect(mlpForward(net, x).toArray()).to.deep.equal([[1.5]]);
    expect(() => mlpForward(net, x, null as never)).to.throw(DomainError, /^hooks must be an object, got null$/);
    expect(() => mlpForward(net, x, { observer: () => {} } as never)).to.throw(DomainError, /^unknown option hooks\.observer for mlpForward \(did you mean observe\?\)/);
    expect(() => mlpForward(net, x, { probe: 3 } as never)).to.throw(DomainError, /^hooks\.probe must be a function or undefined, got 3$/);
  });
});
