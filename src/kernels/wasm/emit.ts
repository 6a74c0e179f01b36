import { f32Bytes, sleb, uleb, type FunctionDef, type ValTypeName } from './encode.js';

/**
 * A typed emitter for the few WebAssembly instructions the kernels use (core spec §5.4 and the SIMD proposal's
 * opcode table). A `Fn` collects one function's body as bytes; `Local<T>` carries its value type, so that e.g.
 * an i32 address cannot be passed where a v128 accumulator is meant. Stack typing beyond that is left to
 * `WebAssembly.validate`, which the tests and the probe run on every emitted module.
 *
 * Memory immediates: every access names its natural alignment (log2 bytes) and a constant byte offset, which
 * the kernels use to address the lanes of a tile from one pointer.
 */

export interface Local<T extends ValTypeName> {
  readonly index: number;
  readonly type: T;
}

/** SIMD instructions are 0xfd followed by a LEB128 opcode. */
const SIMD = {
  load: 0x00,
  load32Splat: 0x09,
  store: 0x0b,
  f32x4Splat: 0x13,
  f32x4ExtractLane: 0x1f,
  f32x4Gt: 0x44,
  and: 0x4e,
  f32x4Add: 0xe4,
  f32x4Mul: 0xe6,
  f32x4Max: 0xe9,
  /** Relaxed SIMD: a * b + c, fused or not at the engine's choice. */
  f32x4RelaxedMadd: 0x105,
} as const;

export class Fn {
  private readonly code: number[] = [];
  private readonly localTypes: ValTypeName[] = [];
  private readonly paramCount: number;
  /** The function's parameters, in order. */
  readonly params: readonly Local<ValTypeName>[];

  constructor(
    readonly name: string,
    private readonly paramTypes: readonly ValTypeName[],
    private readonly results: readonly ValTypeName[] = [],
  ) {
    this.paramCount = paramTypes.length;
    this.params = paramTypes.map((type, index) => ({ index, type }));
  }

  /** The i-th parameter, which must have type `type`. */
  param<T extends ValTypeName>(i: number, type: T): Local<T> {
    if (this.paramTypes[i] !== type) throw new TypeError(`${this.name}: parameter ${i} is ${this.paramTypes[i]}, not ${type}`);
    return { index: i, type };
  }

  /** All parameters, which must all be i32 (pointers and sizes, as every kernel here takes). */
  i32Params(): Local<'i32'>[] {
    return this.paramTypes.map((_, i) => this.param(i, 'i32'));
  }

  /** Declare `count` new locals of type `type`. */
  locals<T extends ValTypeName>(type: T, count: number): Local<T>[] {
    return Array.from({ length: count }, () => this.local(type));
  }

  /** Declare a new local of type `type`. */
  local<T extends ValTypeName>(type: T): Local<T> {
    this.localTypes.push(type);
    return { index: this.paramCount + this.localTypes.length - 1, type };
  }

  def(): FunctionDef {
    return { name: this.name, params: this.paramTypes, results: this.results, locals: this.localTypes, body: this.code };
  }

  private op(...bytes: number[]): this {
    for (const b of bytes) this.code.push(b);
    return this;
  }

  private simd(opcode: number, ...imm: number[]): this {
    return this.op(0xfd, ...uleb(opcode), ...imm);
  }

  // Variables

  get(l: Local<ValTypeName>): this {
    return this.op(0x20, ...uleb(l.index));
  }
  set(l: Local<ValTypeName>): this {
    return this.op(0x21, ...uleb(l.index));
  }
  tee(l: Local<ValTypeName>): this {
    return this.op(0x22, ...uleb(l.index));
  }

  // Control: structured blocks with the empty block type; branch depths count enclosing blocks outward from 0.

  /** block ... end: `br` to it jumps past its end. */
  block(body: () => void): this {
    this.op(0x02, 0x40);
    body();
    return this.op(0x0b);
  }
  /** loop ... end: `br` to it jumps back to its start. */
  loop(body: () => void): this {
    this.op(0x03, 0x40);
    body();
    return this.op(0x0b);
  }
  /** if (pops an i32) then ... [else ...] end. */
  ifThen(then: () => void, otherwise?: () => void): this {
    this.op(0x04, 0x40);
    then();
    if (otherwise !== undefined) {
      this.op(0x05);
      otherwise();
    }
    return this.op(0x0b);
  }
  br(depth: number): this {
    return this.op(0x0c, ...uleb(depth));
  }
  brIf(depth: number): this {
    return this.op(0x0d, ...uleb(depth));
  }

  // i32

  i32(value: number): this {
    return this.op(0x41, ...sleb(value));
  }
  i32Add(): this {
    return this.op(0x6a);
  }
  i32Sub(): this {
    return this.op(0x6b);
  }
  i32Mul(): this {
    return this.op(0x6c);
  }
  i32And(): this {
    return this.op(0x71);
  }
  i32Eqz(): this {
    return this.op(0x45);
  }
  i32Ne(): this {
    return this.op(0x47);
  }
  i32GtU(): this {
    return this.op(0x4b);
  }
  i32Or(): this {
    return this.op(0x72);
  }
  /** Stack [a, b, cond] -> cond ? a : b. */
  select(): this {
    return this.op(0x1b);
  }
  /** Call the function with this index in the module (its arguments on the stack). */
  call(index: number): this {
    return this.op(0x10, ...uleb(index));
  }
  i32LtU(): this {
    return this.op(0x49);
  }
  i32GeU(): this {
    return this.op(0x4f);
  }
  i32Shl(): this {
    return this.op(0x74);
  }
  /** local += delta (delta a constant). */
  addTo(l: Local<'i32'>, delta: number): this {
    return this.get(l).i32(delta).i32Add().set(l);
  }
  /** local += other. */
  addLocal(l: Local<'i32'>, other: Local<'i32'>): this {
    return this.get(l).get(other).i32Add().set(l);
  }

  // f32 (scalar tails)

  f32(value: number): this {
    return this.op(0x43, ...f32Bytes(value));
  }
  f32Load(offset = 0): this {
    return this.op(0x2a, 2, ...uleb(offset));
  }
  f32Store(offset = 0): this {
    return this.op(0x38, 2, ...uleb(offset));
  }
  f32Add(): this {
    return this.op(0x92);
  }
  f32Mul(): this {
    return this.op(0x94);
  }
  f32Max(): this {
    return this.op(0x97);
  }

  // v128 / f32x4

  /** v128.load with 4-byte alignment hint (packed panels are float-aligned, not always 16-byte aligned). */
  v128Load(offset = 0): this {
    return this.simd(SIMD.load, 2, ...uleb(offset));
  }
  v128Store(offset = 0): this {
    return this.simd(SIMD.store, 2, ...uleb(offset));
  }
  /** Load one float32 and broadcast it to the four lanes. */
  load32Splat(offset = 0): this {
    return this.simd(SIMD.load32Splat, 2, ...uleb(offset));
  }
  f32x4Splat(): this {
    return this.simd(SIMD.f32x4Splat);
  }
  f32x4ExtractLane(lane: 0 | 1 | 2 | 3): this {
    return this.simd(SIMD.f32x4ExtractLane, lane);
  }
  f32x4Add(): this {
    return this.simd(SIMD.f32x4Add);
  }
  f32x4Mul(): this {
    return this.simd(SIMD.f32x4Mul);
  }
  f32x4Max(): this {
    return this.simd(SIMD.f32x4Max);
  }
  f32x4Gt(): this {
    return this.simd(SIMD.f32x4Gt);
  }
  v128And(): this {
    return this.simd(SIMD.and);
  }
  /** Stack [a, b, c] -> a * b + c, one rounding or two (relaxed SIMD). */
  f32x4RelaxedMadd(): this {
    return this.simd(SIMD.f32x4RelaxedMadd);
  }

  /** while (!exit()) body(), where exit() leaves an i32 on the stack (as block/loop; the body may not branch). */
  whileNot(exit: () => void, body: () => void): this {
    return this.block(() =>
      this.loop(() => {
        exit();
        this.brIf(1);
        body();
        this.br(0);
      }),
    );
  }

  /** for (i = from; i < end; i += step) body(), as block/loop (the body may not branch out of it). */
  forLoop(i: Local<'i32'>, from: () => void, end: Local<'i32'>, step: number | Local<'i32'>, body: () => void): this {
    from();
    this.set(i);
    return this.block(() => {
      this.get(i).get(end).i32GeU().brIf(0);
      this.loop(() => {
        body();
        if (typeof step === 'number') this.addTo(i, step);
        else this.addLocal(i, step);
        this.get(i).get(end).i32LtU().brIf(0);
      });
    });
  }
}
