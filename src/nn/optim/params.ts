/**
 * Parameters as the optimizers see them: leaf tensors, optionally named (a module's `parameters()` gives names), in
 * groups that each carry their own hyperparameters (PyTorch's `param_groups`).
 */
import { DomainError, ShapeError, describe } from '../../core/errors.js';
import { Tensor } from '../../tensor/index.js';

/** A parameter with the name a module gave it (e.g. `"layer0.W"`); the name labels errors and optimizer state. */
export interface NamedParam {
  readonly name: string;
  readonly tensor: Tensor;
}

/** A bare trainable tensor or a named one. */
export type ParamLike = Tensor | NamedParam;

/** A parameter after validation: its tensor and the name it is reported under. */
export interface Param {
  readonly name: string;
  readonly tensor: Tensor;
}

/**
 * One parameter group as written by the caller: the parameters, an optional name and any of the optimizer's
 * hyperparameters (`H`), each overriding the value given to the constructor for this group only.
 */
export type ParamGroupSpec<H> = { readonly params: readonly ParamLike[]; readonly name?: string } & { readonly [K in keyof H]?: H[K] };

/** A parameter group after validation: the resolved hyperparameters of every key, the parameters and a name. */
export type ParamGroup<H> = H & { readonly name: string; readonly params: readonly Param[] };

const isNamed = (p: unknown): p is NamedParam =>
  typeof p === 'object' && p !== null && !(p instanceof Tensor) && 'tensor' in p && 'name' in p;

const isGroupSpec = (g: unknown): g is { params: unknown } =>
  typeof g === 'object' && g !== null && !(g instanceof Tensor) && 'params' in g;

/**
 * Check one parameter: a leaf tensor (no recorded history) that requires a gradient and is contiguous, so the
 * optimizers can update `data[offset … offset + size)` in place.
 */
export function checkParam(p: unknown, where: string): Param {
  const named = isNamed(p);
  const t: unknown = named ? p.tensor : p;
  const name = named ? p.name : where;
  if (named && (typeof p.name !== 'string' || p.name.length === 0)) {
    throw new DomainError(`${where}.name must be a non-empty string, got ${describe(p.name)}`);
  }
  if (!(t instanceof Tensor)) {
    throw new DomainError(`${where} must be a Tensor or { name, tensor }, got ${describe(t)}`);
  }
  if (!t.requiresGrad) throw new DomainError(`${where} (${name}) must require a gradient (requiresGrad = true), got one that does not`);
  if (t.node !== null) {
    throw new DomainError(`${where} (${name}) must be a leaf tensor (created by the user, not computed by an op), got the output of ${t.node.op}`);
  }
  if (!t.isContiguous()) throw new ShapeError(`${where} (${name}) must be contiguous (row-major) to be updated in place, got strides [${t.strides.join(', ')}]`);
  return { name, tensor: t };
}

/**
 * Split the first constructor argument into raw groups: a non-empty list of parameters (one group, named `"0"`) or a
 * non-empty list of group objects `{ params, … }`. Mixing the two forms is an error.
 */
export function rawGroups(params: unknown, fn: string): { spec: Record<string, unknown>; where: string; list: string }[] {
  if (!Array.isArray(params) || params.length === 0) {
    throw new DomainError(`${fn}: params must be a non-empty array of tensors, { name, tensor } or parameter groups { params, … }, got ${describe(params)}`);
  }
  const groups = params.filter(isGroupSpec);
  if (groups.length === 0) return [{ spec: { params }, where: 'params', list: 'params' }];
  if (groups.length !== params.length) {
    throw new DomainError(`${fn}: params must be either all parameters or all parameter groups { params, … }, got a mix`);
  }
  return groups.map((g, i) => ({ spec: g as Record<string, unknown>, where: `groups[${i}]`, list: `groups[${i}].params` }));
}

/**
 * The validated parameters of one raw group (a non-empty list, written `where` by the caller), checked against
 * duplicates across all groups.
 */
export function groupParams(list: unknown, where: string, seen: Map<Tensor, string>, names: Set<string>): Param[] {
  if (!Array.isArray(list) || list.length === 0) {
    throw new DomainError(`${where} must be a non-empty array of tensors or { name, tensor }, got ${describe(list)}`);
  }
  return list.map((p, j) => {
    const param = checkParam(p, `${where}[${j}]`);
    const prev = seen.get(param.tensor);
    if (prev !== undefined) {
      throw new DomainError(`${where}[${j}] (${param.name}) appears twice: already given as ${prev}; a parameter may belong to one group only`);
    }
    if (names.has(param.name)) throw new DomainError(`${where}[${j}]: parameter name ${describe(param.name)} is used twice`);
    seen.set(param.tensor, `${where}[${j}]`);
    names.add(param.name);
    return param;
  });
}
