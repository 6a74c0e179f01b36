/**
 * The machinery shared by every optimizer: parsing the parameter groups once at the constructor, the per-parameter
 * state, learning-rate control for schedulers, `zeroGrad`, and a `step` that hands each parameter's storage and
 * gradient to the optimizer's update loop under `noGrad`.
 */
import { DomainError, ShapeError, describe } from '../../core/errors.js';
import type { FloatArray } from '../../core/index.js';
import { checkedOptions, nonNegativeParam } from '../../init/index.js';
import { noGrad, type Tensor } from '../../tensor/index.js';
import { groupParams, rawGroups, type Param, type ParamGroup } from './params.js';
import { recordAt, type OptimizerStateDict, type ParamStateDict } from './state.js';

/** What a scheduler needs from an optimizer: read and set each group's learning rate. */
export interface LrControl {
  /** Number of parameter groups. */
  readonly groupCount: number;
  /** Learning rate of group `index`. */
  getLr(index: number): number;
  /** Set the learning rate of group `index` (a finite number ≥ 0). */
  setLr(index: number, lr: number): void;
}

/** Hyperparameters every optimizer has. */
export interface BaseHyper {
  /** Learning rate (≥ 0). */
  readonly lr: number;
}

/**
 * Parses one group's hyperparameters. `o` holds the keys the caller wrote (already checked against the allowed list);
 * `dflt` is the constructor's resolved options (undefined when parsing the constructor options themselves);
 * `where` is how the caller wrote the record (`options`, `groups[1]`), for error messages.
 */
export type HyperParser<H> = (o: Record<string, unknown>, dflt: H | undefined, where: string) => H;

/**
 * Base of SGD / Adam / AdamW. `H` is the resolved hyperparameter record of a group, `S` the state of one parameter
 * (created by the subclass on the parameter's first update, kept in `state`).
 */
export abstract class Optimizer<H extends BaseHyper, S> implements LrControl {
  /** The constructor's options after parsing: the defaults of every group. */
  readonly defaults: Readonly<H>;
  private readonly groupList: (H & { name: string; params: readonly Param[]; lr: number })[];
  /** Per-parameter state (momentum buffers, moment estimates, step counts), keyed by the parameter tensor. */
  protected readonly stateMap = new Map<Tensor, S>();
  private readonly fn: string;

  /**
   * `fn` names the optimizer in errors (a non-empty string), `keys` lists its option keys (strings), `parse` resolves
   * one record of them into a hyperparameter record with `lr` ≥ 0; a subclass passing anything else is a DomainError
   * naming the argument, before `params` and `options` are looked at.
   */
  protected constructor(fn: string, params: unknown, options: unknown, keys: readonly string[], parse: HyperParser<H>) {
    checkSubclassArgs(fn, keys, parse);
    this.fn = fn;
    this.defaults = Object.freeze(checkHyper(fn, parse(checkedOptions(fn, options, keys), undefined, 'options'), 'options'));
    const seen = new Map<Tensor, string>();
    const names = new Set<string>();
    this.groupList = rawGroups(params, fn).map(({ spec, where, list }, i) => {
      const o = where === 'params' ? {} : checkedOptions(fn, spec, ['params', 'name', ...keys], where);
      const name = o['name'] === undefined ? String(i) : o['name'];
      if (typeof name !== 'string' || name.length === 0) throw new DomainError(`${where}.name must be a non-empty string, got ${describe(name)}`);
      const hyper = checkHyper(fn, parse(o, this.defaults, where), where);
      return { ...hyper, name, params: groupParams(spec['params'], list, seen, names) };
    });
  }

  /** The parameter groups with their resolved hyperparameters (read-only; change rates with `setLr`). */
  get groups(): readonly Readonly<ParamGroup<H>>[] {
    return this.groupList;
  }

  get groupCount(): number {
    return this.groupList.length;
  }

  /** Per-parameter state, keyed by the parameter tensor; a parameter has none until its first update. */
  get state(): ReadonlyMap<Tensor, Readonly<S>> {
    return this.stateMap;
  }

  /** Every parameter of every group, in group order. */
  params(): Param[] {
    return this.groupList.flatMap((g) => g.params);
  }

  /** The state of the parameter named `name` (undefined before its first update); a DomainError for unknown names. */
  stateOf(name: string): Readonly<S> | undefined {
    for (const g of this.groupList) {
      for (const p of g.params) if (p.name === name) return this.stateMap.get(p.tensor);
    }
    throw new DomainError(`${this.fn}.stateOf: no parameter named ${describe(name)}; parameters: ${this.params().map((p) => p.name).join(', ')}`);
  }

  getLr(index: number): number {
    return this.group(index, 'getLr').lr;
  }

  setLr(index: number, lr: number): void {
    this.group(index, 'setLr').lr = nonNegativeParam('lr', lr);
  }

  /**
   * The optimizer's state as plain data (copies): each group's name, hyperparameters (learning rate included) and
   * parameter names, and each updated parameter's buffers and counters. `loadStateDict` of an optimizer over the
   * same parameters restores it, so training continues bit-exactly.
   */
  stateDict(): OptimizerStateDict {
    const keys = Object.keys(this.defaults);
    const groups = this.groupList.map((g) => ({
      name: g.name,
      hyper: Object.fromEntries(keys.map((k) => [k, (g as unknown as Record<string, unknown>)[k]])),
      params: g.params.map((p) => p.name),
    }));
    const state: Record<string, ParamStateDict> = {};
    for (const p of this.params()) {
      const s = this.stateMap.get(p.tensor);
      if (s !== undefined) state[p.name] = this.exportState(s);
    }
    return { optimizer: this.fn, groups, state };
  }

  /**
   * Restore a `stateDict()` of this kind of optimizer over the same parameters: the same groups (names, parameter
   * names in order, hyperparameters other than the learning rate), buffers of each parameter's dtype and size. The
   * learning rates and every parameter's state are replaced. Everything is checked first: on a DomainError (naming
   * the entry, e.g. `state.groups[0].hyper.momentum`) the optimizer is unchanged.
   */
  loadStateDict(state: OptimizerStateDict): void {
    const sd = recordAt(state, 'state');
    if (sd['optimizer'] !== this.fn) throw new DomainError(`state.optimizer must be ${describe(this.fn)} (this optimizer), got ${describe(sd['optimizer'])}`);
    const groups = sd['groups'];
    if (!Array.isArray(groups) || groups.length !== this.groupList.length) {
      throw new DomainError(`state.groups must list ${this.groupList.length} group(s) (this optimizer's), got ${describe(groups)}`);
    }
    const rates = this.groupList.map((g, i) => {
      const where = `state.groups[${i}]`;
      const sg = recordAt(groups[i], where);
      if (sg['name'] !== g.name) throw new DomainError(`${where}.name must be ${describe(g.name)}, got ${describe(sg['name'])}`);
      const names = g.params.map((p) => p.name);
      if (!Array.isArray(sg['params']) || JSON.stringify(sg['params']) !== JSON.stringify(names)) {
        throw new DomainError(`${where}.params must be [${names.join(', ')}] (this group's parameters), got ${describe(sg['params'])}`);
      }
      const hyper = recordAt(sg['hyper'], `${where}.hyper`);
      for (const k of Object.keys(this.defaults)) {
        if (k === 'lr') continue;
        const mine = (g as unknown as Record<string, unknown>)[k];
        if (JSON.stringify(hyper[k]) !== JSON.stringify(mine)) {
          throw new DomainError(`${where}.hyper.${k} is ${describe(hyper[k])}, this optimizer has ${describe(mine)}; build the optimizer with the saved hyperparameters`);
        }
      }
      return nonNegativeParam(`${where}.hyper.lr`, hyper['lr']);
    });
    const entries = recordAt(sd['state'], 'state.state');
    const restored = new Map<Tensor, S>();
    const byName = new Map(this.groupList.flatMap((g) => g.params.map((p) => [p.name, { p, g }] as const)));
    for (const [name, entry] of Object.entries(entries)) {
      const found = byName.get(name);
      if (found === undefined) throw new DomainError(`state.state has an entry for ${describe(name)}, which is not a parameter of this optimizer`);
      const where = `state.state[${JSON.stringify(name)}]`;
      recordAt(entry, where);
      restored.set(found.p.tensor, this.importState(entry as ParamStateDict, found.p.tensor, found.g, where));
    }
    this.groupList.forEach((g, i) => (g.lr = rates[i] as number));
    this.stateMap.clear();
    for (const [t, s] of restored) this.stateMap.set(t, s);
  }

  /**
   * One parameter's state as plain data (copies of its buffers). An optimizer that keeps state overrides this and
   * `importState`; the base refuses, so a subclass without them cannot save state it would lose.
   */
  protected exportState(_s: S): ParamStateDict {
    throw new DomainError(`${this.fn} cannot export its state: it does not implement exportState / importState`);
  }

  /** One parameter's state from plain data (written `where`), checked against the parameter and its group's hyperparameters. */
  protected importState(_p: ParamStateDict, _param: Tensor, _group: H, where: string): S {
    throw new DomainError(`${this.fn} cannot import ${where}: it does not implement exportState / importState`);
  }

  /** Clear every parameter's gradient (sets `.grad` to null, as PyTorch's `zero_grad(set_to_none=True)`). */
  zeroGrad(): void {
    for (const g of this.groupList) for (const p of g.params) p.tensor.zeroGrad();
  }

  /**
   * One update of every parameter that has a gradient (parameters whose `.grad` is null are skipped and their state
   * left as it is, as in PyTorch). Runs under `noGrad`, writing each parameter's storage in place.
   */
  step(): void {
    noGrad(() => {
      for (const g of this.groupList) {
        for (const p of g.params) {
          const t = p.tensor;
          const grad = t.grad;
          if (grad === null) continue;
          if (grad.size !== t.size) {
            throw new ShapeError(`${this.fn}.step: gradient of ${p.name} has ${grad.size} elements, the parameter ${t.size}`);
          }
          this.update(t.data, t.offset, t.size, grad.dense(), g, t);
        }
      }
    });
  }

  /**
   * Update `n` elements of `data` starting at `offset` from gradient `grad` (dense, `n` elements) with the group's
   * hyperparameters; `param` keys the state.
   */
  protected abstract update(data: FloatArray, offset: number, n: number, grad: FloatArray, group: H, param: Tensor): void;

  private group(index: number, what: string): H & { lr: number } {
    const g = this.groupList[index];
    if (!Number.isInteger(index) || g === undefined) {
      throw new DomainError(`${this.fn}.${what}: index must be a group index in [0, ${this.groupList.length - 1}], got ${describe(index)}`);
    }
    return g;
  }
}

/** The subclass-facing constructor arguments of `Optimizer`: a name, the option keys and their parser. */
function checkSubclassArgs(fn: unknown, keys: unknown, parse: unknown): void {
  if (typeof fn !== 'string' || fn.length === 0) {
    throw new DomainError(`Optimizer: fn must be a non-empty string (the optimizer's name), got ${describe(fn)}`);
  }
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) {
    throw new DomainError(`${fn}: keys must be an array of option names (strings), got ${describe(keys)}`);
  }
  if (typeof parse !== 'function') throw new DomainError(`${fn}: parse must be a function (the hyperparameter parser), got ${describe(parse)}`);
}

/** What `parse` returned for the record written `where`: a hyperparameter record whose `lr` is a finite number ≥ 0. */
function checkHyper<H extends BaseHyper>(fn: string, hyper: H, where: string): H {
  const lr: unknown = typeof hyper === 'object' && hyper !== null ? hyper.lr : undefined;
  if (typeof lr !== 'number' || !(lr >= 0) || lr === Infinity) {
    throw new DomainError(`${fn}: parse must return a record with lr a finite number ≥ 0 for ${where}, got ${describe(hyper)}${lr === undefined ? '' : ` with lr = ${describe(lr)}`}`);
  }
  return hyper;
}
