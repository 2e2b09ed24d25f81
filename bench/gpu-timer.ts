/**
 * @file GPU time of compute passes, measured from outside a runner: `passTimer(device)` returns a
 * wrapped device to hand to thc's WGSL runner and to TensorFlow.js alike. While a measurement is
 * open (`begin` .. `end`) every compute pass either of them begins gets `timestampWrites` (a
 * begin and an end timestamp), every command encoder resolves its passes' timestamps into a
 * readable buffer when it is finished, and `end` returns the sum of the passes' durations. So both
 * peers are timed the same way without touching their code: only kernels count, not uploads,
 * copies outside passes, readbacks or the host. Needs the `timestamp-query` feature on the device
 * (else `supported` is false and nothing is wrapped), and a Dawn instance created with
 * `disable-dawn-features=timestamp_quantization`: by default Dawn rounds timestamps down to
 * multiples of 65,536 ns (measured), longer than a fused elementwise kernel on a hardware GPU.
 */

/** Timestamp pairs one encoder can hold; a runner that begins more passes in one encoder is an error. */
const PASSES_PER_ENCODER = 64;

export interface PassTimer {
  /** The device to use; the original one when timestamps are not supported. */
  readonly device: GPUDevice;
  readonly supported: boolean;
  /** Opens a measurement (forgets nothing: call `end` before the next `begin`). */
  begin(): void;
  /** Closes it: the summed duration in ms of the compute passes begun since `begin`, once the GPU ran them. */
  end(): Promise<number>;
}

interface Pending {
  readonly read: GPUBuffer;
  readonly resolve: GPUBuffer;
  readonly querySet: GPUQuerySet;
  readonly passes: number;
}

export function passTimer(device: GPUDevice): PassTimer {
  if (!device.features.has('timestamp-query')) {
    return { device, supported: false, begin() {}, end: () => Promise.reject(new Error('the device has no timestamp-query feature')) };
  }
  let open = false;
  let overflow = false;
  const pending: Pending[] = [];

  function wrapEncoder(enc: GPUCommandEncoder): GPUCommandEncoder {
    let querySet: GPUQuerySet | null = null;
    let passes = 0;
    const beginComputePass = (desc?: GPUComputePassDescriptor): GPUComputePassEncoder => {
      // A pass that times itself (TensorFlow.js's own profiler) is left alone.
      if (!open || desc?.timestampWrites) return enc.beginComputePass(desc);
      if (passes >= PASSES_PER_ENCODER) { overflow = true; return enc.beginComputePass(desc); }
      querySet ??= device.createQuerySet({ type: 'timestamp', count: 2 * PASSES_PER_ENCODER });
      const i = passes++;
      return enc.beginComputePass({ ...desc, timestampWrites: { querySet, beginningOfPassWriteIndex: 2 * i, endOfPassWriteIndex: 2 * i + 1 } });
    };
    const finish = (desc?: GPUCommandBufferDescriptor): GPUCommandBuffer => {
      if (querySet && passes > 0) {
        const bytes = passes * 16;
        const resolve = device.createBuffer({ size: bytes, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
        const read = device.createBuffer({ size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
        enc.resolveQuerySet(querySet, 0, 2 * passes, resolve, 0);
        enc.copyBufferToBuffer(resolve, 0, read, 0, bytes);
        pending.push({ read, resolve, querySet, passes });
      }
      return enc.finish(desc);
    };
    // Dawn's objects check `this`, so every other method is called on the real encoder.
    return new Proxy(enc, {
      get(target, key) {
        if (key === 'beginComputePass') return beginComputePass;
        if (key === 'finish') return finish;
        const v = (target as unknown as Record<PropertyKey, unknown>)[key];
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
  }

  const wrapped = new Proxy(device, {
    get(target, key) {
      if (key === 'createCommandEncoder') return (desc?: GPUCommandEncoderDescriptor) => wrapEncoder(target.createCommandEncoder(desc));
      const v = (target as unknown as Record<PropertyKey, unknown>)[key];
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });

  return {
    device: wrapped,
    supported: true,
    begin() {
      open = true;
      overflow = false;
    },
    async end() {
      open = false;
      const done = pending.splice(0);
      await Promise.all(done.map(p => p.read.mapAsync(GPUMapMode.READ)));
      let ns = 0n;
      for (const p of done) {
        const t = new BigUint64Array(p.read.getMappedRange().slice(0));
        for (let i = 0; i < p.passes; i++) if (t[2 * i + 1]! > t[2 * i]!) ns += t[2 * i + 1]! - t[2 * i]!;
        p.read.unmap();
        p.read.destroy();
        p.resolve.destroy();
        p.querySet.destroy();
      }
      if (overflow) throw new Error(`more than ${PASSES_PER_ENCODER} compute passes in one command encoder`);
      return Number(ns) / 1e6;
    },
  };
}
