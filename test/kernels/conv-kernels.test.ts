import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-layers'; // registers the gradients of core ops in Node
import { registerTrainingKernels } from '../../src/kernels/index';
import { mulberry32 } from '../reference/mulberry32';

// The training kernels against references on the same inputs: the cpu backend's built-in kernels
// (computed before ours are registered) and, where tfjs has no built-in (dilated backprops), direct
// loops over the definition of a convolution. Odd sizes, batch 1 and 3, 1/3/5 channels, 1×1, 3×3 and
// 5×2 filters, strides 1 and 2, dilations 1 and 2, 'same', 'valid', numeric and explicit padding.

type Pad = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;

interface Case {
  name: string;
  x: [number, number, number, number];
  f: [number, number, number, number];
  strides: number | [number, number];
  dilations: number | [number, number];
  pad: Pad;
}

const CASES: Case[] = [
  { name: '3×3 same', x: [3, 7, 9, 3], f: [3, 3, 3, 5], strides: 1, dilations: 1, pad: 'same' },
  { name: '3×3 valid, batch 1, 1 channel', x: [1, 6, 5, 1], f: [3, 3, 1, 4], strides: 1, dilations: 1, pad: 'valid' },
  { name: '1×1 valid', x: [3, 5, 7, 5], f: [1, 1, 5, 3], strides: 1, dilations: 1, pad: 'valid' },
  { name: '1×1 stride 2', x: [2, 5, 7, 3], f: [1, 1, 3, 2], strides: 2, dilations: 1, pad: 'same' },
  { name: '5×2 same', x: [2, 9, 7, 5], f: [5, 2, 5, 3], strides: 1, dilations: 1, pad: 'same' },
  { name: '3×3 stride 2 same', x: [3, 9, 8, 3], f: [3, 3, 3, 5], strides: 2, dilations: 1, pad: 'same' },
  { name: '5×2 stride 2 valid', x: [1, 11, 9, 5], f: [5, 2, 5, 1], strides: 2, dilations: 1, pad: 'valid' },
  // (numeric padding with unequal strides: tfjs-core's output shape takes the height's stride for both)
  { name: '3×3 stride 2 numeric pad', x: [2, 8, 7, 3], f: [3, 3, 3, 2], strides: 2, dilations: 1, pad: 1 },
  { name: '3×3 stride [2, 1] same', x: [2, 8, 7, 3], f: [3, 3, 3, 2], strides: [2, 1], dilations: 1, pad: 'same' },
  {
    name: '3×2 explicit pad',
    x: [2, 7, 6, 3],
    f: [3, 2, 3, 4],
    strides: [1, 2],
    dilations: 1,
    pad: [
      [0, 0],
      [2, 0],
      [1, 3],
      [0, 0],
    ],
  },
  { name: '3×3 dilation 2 same', x: [2, 9, 8, 3], f: [3, 3, 3, 4], strides: 1, dilations: 2, pad: 'same' },
  { name: '5×2 dilation [2, 1] valid', x: [1, 11, 7, 5], f: [5, 2, 5, 3], strides: 1, dilations: [2, 1], pad: 'valid' },
  { name: '3×3 stride 2 and dilation 2', x: [2, 11, 10, 3], f: [3, 3, 3, 2], strides: 2, dilations: 2, pad: 'same' },
];

/** A pair [height, width]. */
const pair = (v: number | [number, number]): [number, number] => (typeof v === 'number' ? [v, v] : v);

function values(n: number, seed: number): Float32Array {
  const random = mulberry32(seed);
  return Float32Array.from({ length: n }, () => 2 * random() - 1);
}

function info(c: Case): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(c.x, c.f, c.strides, c.dilations, c.pad);
}

/** The input pixel (or -1) that output pixel (b, y, x) meets at filter tap (i, j), by definition. */
function naive(c: Case, xs: Float32Array, w: Float32Array, dy: Float32Array) {
  const g = info(c);
  const [b, h, wd, ci] = c.x;
  const [kh, kw, , co] = c.f;
  const [sh, sw] = pair(c.strides);
  const [dh, dw] = pair(c.dilations);
  const y = new Float64Array(b * g.outHeight * g.outWidth * co);
  const dx = new Float64Array(xs.length);
  const dW = new Float64Array(w.length);
  for (let n = 0; n < b; n++)
    for (let oy = 0; oy < g.outHeight; oy++)
      for (let ox = 0; ox < g.outWidth; ox++)
        for (let i = 0; i < kh; i++)
          for (let j = 0; j < kw; j++) {
            const iy = oy * sh - g.padInfo.top + i * dh;
            const ix = ox * sw - g.padInfo.left + j * dw;
            if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
            for (let a = 0; a < ci; a++)
              for (let o = 0; o < co; o++) {
                const xi = ((n * h + iy) * wd + ix) * ci + a;
                const wi = ((i * kw + j) * ci + a) * co + o;
                const yi = ((n * g.outHeight + oy) * g.outWidth + ox) * co + o;
                y[yi] += xs[xi] * w[wi];
                dx[xi] += dy[yi] * w[wi];
                dW[wi] += dy[yi] * xs[xi];
              }
          }
  return { y, dx, dW, outShape: g.outShape };
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, tol = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  let scale = 1e-6;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / scale);
  if (worst > tol) throw new Error(`${what}: relative error ${worst.toExponential(2)} > ${tol}`);
}

interface Inputs {
  x: Float32Array;
  w: Float32Array;
  dy: Float32Array;
  bias: Float32Array;
  dyShape: number[];
}

function inputsOf(c: Case, seed: number): Inputs {
  const g = info(c);
  const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
  return {
    x: values(size(c.x), seed),
    w: values(size(c.f), seed + 1),
    dy: values(size(g.outShape), seed + 2),
    bias: values(c.f[3], seed + 3),
    dyShape: g.outShape,
  };
}

const withoutDilation = (c: Case) => pair(c.dilations).every((d) => d === 1);

/** Runs a kernel by name on tensors made from `inputs`; returns its values and checks it leaks nothing. */
function runKernel(name: string, inputs: Record<string, [Float32Array, number[]]>, attrs: object): Float32Array {
  const tensors = Object.fromEntries(Object.entries(inputs).map(([k, [v, s]]) => [k, tf.tensor(v, s)]));
  const before = tf.memory().numTensors;
  const out = tf.engine().runKernel(name, tensors, attrs as tf.NamedAttrMap) as tf.Tensor;
  expect(tf.memory().numTensors).toBe(before + 1);
  const v = out.dataSync() as Float32Array;
  tf.dispose([out, ...Object.values(tensors)]);
  return v;
}

/** Values and gradients of conv2d and conv2dTranspose (cpu: whatever kernels are registered). */
function opResults(c: Case, inp: Inputs) {
  return tf.tidy(() => {
    const x = tf.tensor4d(inp.x, c.x);
    const w = tf.tensor4d(inp.w, c.f);
    const dy = tf.tensor4d(inp.dy, inp.dyShape as [number, number, number, number]);
    const out: Record<string, Float32Array> = {};
    if (!withoutDilation(c) && !pair(c.strides).every((s) => s === 1)) return out; // tf.conv2d refuses both
    const conv = (a: tf.Tensor4D, b: tf.Tensor4D) => tf.conv2d(a, b, c.strides, c.pad, 'NHWC', c.dilations);
    out.y = conv(x, w).dataSync() as Float32Array;
    const fusedArgs = { x, filter: w, strides: c.strides, pad: c.pad, dilations: c.dilations };
    out.fused = tf.fused
      .conv2d({ ...fusedArgs, bias: tf.tensor1d(inp.bias), activation: 'relu' })
      .dataSync() as Float32Array;
    if (withoutDilation(c)) {
      const [gx, gw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.mul(conv(a as tf.Tensor4D, b as tf.Tensor4D), dy)),
      )([x, w]);
      out.gx = gx.dataSync() as Float32Array;
      out.gw = gw.dataSync() as Float32Array;
      // conv2dTranspose maps dy-shaped tensors to x-shaped ones: its value is Conv2DBackpropInput, its
      // gradients are Conv2D (for its input) and Conv2DBackpropFilter (for its filter).
      const pad = typeof c.pad === 'string' ? c.pad : 'valid';
      if (pad === c.pad) {
        const up = (a: tf.Tensor, b: tf.Tensor) =>
          tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, c.x, c.strides, pad);
        out.t = up(dy, w).dataSync() as Float32Array;
        const [tdy, tw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(up(a, b), x)))([dy, w]);
        out.tdy = tdy.dataSync() as Float32Array;
        out.tw = tw.dataSync() as Float32Array;
      }
    }
    return out;
  });
}

let references: Record<string, Float32Array>[];

beforeAll(async () => {
  await tf.setBackend('cpu');
  references = CASES.map((c, i) => opResults(c, inputsOf(c, 10 * i)));
});

describe.each(['cpu', 'wasm'] as const)('training kernels on %s', (backend) => {
  let kernels: ReturnType<typeof registerTrainingKernels>;
  beforeAll(async () => {
    await tf.setBackend(backend);
    kernels = registerTrainingKernels({ backends: [backend] });
  });
  afterAll(() => kernels.restore());

  it.each(CASES.map((c, i) => [c.name, i] as const))(
    '%s: conv2d values and gradients match the cpu built-ins',
    (_, i) => {
      const c = CASES[i];
      expect(tf.getBackend()).toBe(backend);
      const ours = opResults(c, inputsOf(c, 10 * i));
      expect(Object.keys(ours).sort()).toEqual(Object.keys(references[i]).sort());
      for (const key of Object.keys(ours)) expectClose(ours[key], references[i][key], `${c.name} ${key}`);
    },
  );

  it.each(CASES.map((c, i) => [c.name, i] as const))('%s: backprop kernels match the definition', (_, i) => {
    const c = CASES[i];
    const inp = inputsOf(c, 10 * i);
    const ref = naive(c, inp.x, inp.w, inp.dy);
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dilations: c.dilations };
    const dW = runKernel(
      'Conv2DBackpropFilter',
      { x: [inp.x, c.x], dy: [inp.dy, inp.dyShape] },
      { ...attrs, filterShape: c.f },
    );
    expectClose(dW, ref.dW, `${c.name} filter gradient`);
    const dx = runKernel(
      'Conv2DBackpropInput',
      { dy: [inp.dy, inp.dyShape], filter: [inp.w, c.f] },
      { ...attrs, inputShape: c.x },
    );
    expectClose(dx, ref.dx, `${c.name} input gradient`);
    if (backend === 'cpu')
      expectClose(runKernel('Conv2D', { x: [inp.x, c.x], filter: [inp.w, c.f] }, attrs), ref.y, c.name);
  });
});

test('wasm kernels called with bare TensorInfos, as another kernel would call them', async () => {
  await tf.setBackend('wasm');
  const kernels = registerTrainingKernels({ backends: ['wasm'] });
  try {
    const c = CASES[5];
    const inp = inputsOf(c, 21);
    const ref = naive(c, inp.x, inp.w, inp.dy);
    const x = tf.tensor(inp.x, c.x);
    const dy = tf.tensor(inp.dy, inp.dyShape);
    const bare = (t: tf.Tensor): tf.TensorInfo => ({ dataId: t.dataId, shape: t.shape, dtype: t.dtype });
    const before = tf.memory().numTensors;
    const out = tf.getKernel('Conv2DBackpropFilter', 'wasm').kernelFunc({
      inputs: { x: bare(x), dy: bare(dy) },
      backend: tf.backend(),
      attrs: { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.f } as unknown as tf.NamedAttrMap,
    }) as tf.Tensor;
    expect(tf.memory().numTensors).toBe(before + 1);
    expectClose(out.dataSync(), ref.dW, 'bare inputs');
    tf.dispose([out, x, dy]);
  } finally {
    kernels.restore();
  }
});

describe('cpu FusedConv2D', () => {
  const c = CASES[5];
  const inp = inputsOf(c, 99);
  const activations = ['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu', 'prelu'] as const;
  /** fused conv2d with a per-channel bias or a [OH, OW, Co] one, every activation. */
  const run = (bias: 'channel' | 'map'): Float32Array[] =>
    tf.tidy(() =>
      activations.map((activation) => {
        const [, oh, ow, co] = inp.dyShape;
        const b = bias === 'channel' ? tf.tensor1d(inp.bias) : tf.tensor3d(values(oh * ow * co, 7), [oh, ow, co]);
        const alpha = activation === 'prelu' ? tf.tensor1d(values(co, 8)) : undefined;
        return tf.fused
          .conv2d({
            x: tf.tensor4d(inp.x, c.x),
            filter: tf.tensor4d(inp.w, c.f),
            strides: c.strides,
            pad: c.pad,
            bias: b,
            activation,
            preluActivationWeights: alpha,
            leakyreluAlpha: 0.3,
          })
          .dataSync() as Float32Array;
      }),
    );

  it('matches the built-in for every activation, per-channel and broadcast biases', async () => {
    await tf.setBackend('cpu');
    const expected = [...run('channel'), ...run('map')];
    const kernels = registerTrainingKernels({ backends: ['cpu'] });
    try {
      const before = tf.memory().numTensors;
      const actual = [...run('channel'), ...run('map')];
      expect(tf.memory().numTensors).toBe(before);
      actual.forEach((v, k) => expectClose(v, expected[k], `activation ${activations[k % activations.length]}`));
    } finally {
      kernels.restore();
    }
  });
});

describe('NCHW', () => {
  it('wasm: the backprop kernels in NCHW equal them in NHWC', async () => {
    await tf.setBackend('wasm');
    const kernels = registerTrainingKernels({ backends: ['wasm'] });
    try {
      for (const c of [CASES[0], CASES[5], CASES[8]]) {
        const inp = inputsOf(c, 11);
        const nchw = (s: readonly number[]) => [s[0], s[3], s[1], s[2]];
        const toNchw = (v: Float32Array, s: readonly number[]) =>
          tf.tidy(() => tf.transpose(tf.tensor(v, [...s]), [0, 3, 1, 2]).dataSync() as Float32Array);
        const attrs = { strides: c.strides, pad: c.pad };
        const nhwc = { ...attrs, dataFormat: 'NHWC' };
        const first = { ...attrs, dataFormat: 'NCHW' };
        const x: [Float32Array, number[]] = [toNchw(inp.x, c.x), nchw(c.x)];
        const dy: [Float32Array, number[]] = [toNchw(inp.dy, inp.dyShape), nchw(inp.dyShape)];
        expectClose(
          runKernel('Conv2DBackpropFilter', { x, dy }, { ...first, filterShape: c.f }),
          runKernel(
            'Conv2DBackpropFilter',
            { x: [inp.x, c.x], dy: [inp.dy, inp.dyShape] },
            { ...nhwc, filterShape: c.f },
          ),
          `${c.name} NCHW filter gradient`,
        );
        expectClose(
          runKernel('Conv2DBackpropInput', { dy, filter: [inp.w, c.f] }, { ...first, inputShape: nchw(c.x) }),
          toNchw(runKernel('Conv2DBackpropInput', { dy: [inp.dy, inp.dyShape], filter: [inp.w, c.f] }, { ...nhwc, inputShape: c.x }), c.x), // prettier-ignore
          `${c.name} NCHW input gradient`,
        );
      }
    } finally {
      kernels.restore();
    }
  });

  it('goes to the built-in kernels', async () => {
    const c = CASES[0];
    const inp = inputsOf(c, 5);
    const run = () =>
      tf.tidy(() => {
        const x = tf.transpose(tf.tensor4d(inp.x, c.x), [0, 3, 1, 2]) as tf.Tensor4D;
        const w = tf.tensor4d(inp.w, c.f);
        const [gx, gw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same', 'NCHW'))),
        )([x, w]);
        return [gx.dataSync(), gw.dataSync()];
      });
    await tf.setBackend('cpu');
    const expected = run();
    const kernels = registerTrainingKernels({ backends: ['cpu'] });
    try {
      run().forEach((v, k) => expectClose(v, expected[k], `NCHW ${k}`));
    } finally {
      kernels.restore();
    }
  });
});
