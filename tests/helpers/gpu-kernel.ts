/**
 * @file One tiny hand-written WGSL compute kernel, `out[i] = a[i] * 2.0 + 1.0`, and the host steps
 * every GPU run needs: upload with writeBuffer, a bind group, one dispatch, a copy into a
 * `MAP_READ | COPY_DST` staging buffer, mapAsync, read back (GPU-NOTES 5.5). Used by
 * tests/gpu-device.test.ts in-process and by the child processes it spawns (from dist/).
 */
import { captureErrors, type GpuErrorRecord } from '../../src/gpu/errors.js';

export const WORKGROUP = 64;

export const AXPB_WGSL = `
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) id: vec3u) {
  let i = id.x;
  if (i >= arrayLength(&out)) { return; }
  out[i] = a[i] * 2.0 + 1.0;
}
`;

/** The kernel's result computed in JavaScript, rounded to f32 at each step as the GPU does. */
export const axpbReference = (a: Float32Array<ArrayBuffer>): Float32Array => a.map(x => Math.fround(Math.fround(x * 2) + 1));

/** Runs the kernel over `a`; returns the read-back values and every error the scopes caught. */
export async function runAxpb(device: GPUDevice, a: Float32Array<ArrayBuffer>): Promise<{ out: Float32Array; errors: GpuErrorRecord[] }> {
  const bytes = a.byteLength;
  const { value: buffers, errors } = await captureErrors(device, () => {
    const module = device.createShaderModule({ code: AXPB_WGSL });
    const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
    const input = device.createBuffer({ size: bytes, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
    const output = device.createBuffer({ size: bytes, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
    const staging = device.createBuffer({ size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    device.queue.writeBuffer(input, 0, a);
    const bindGroup = device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [{ binding: 0, resource: { buffer: input } }, { binding: 1, resource: { buffer: output } }],
    });
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(Math.ceil(a.length / WORKGROUP));
    pass.end();
    encoder.copyBufferToBuffer(output, 0, staging, 0, bytes);
    device.queue.submit([encoder.finish()]);
    return { input, output, staging };
  });
  let out = new Float32Array(0);
  if (errors.length === 0) {
    await buffers.staging.mapAsync(GPUMapMode.READ);
    out = new Float32Array(buffers.staging.getMappedRange().slice(0));
    buffers.staging.unmap();
  }
  for (const b of Object.values(buffers)) b.destroy();
  return { out, errors };
}

/** 1,000 f32 inputs with fractions, negatives and a few large values. */
export const sampleInput = (n = 1000): Float32Array<ArrayBuffer> => Float32Array.from({ length: n }, (_, i) => (i - 500) * 0.37 + (i % 7 === 0 ? 1e6 : 0));
