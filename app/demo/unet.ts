import * as tfl from '@tensorflow/tfjs-layers';

export interface UNetOptions {
  /** Image side (square images, one channel); a multiple of 2^(levels − 1). */
  size: number;
  /** Filters per level, coarsest last; default [8, 16, 32, 64] (≈120k parameters, ≈1.7 GFLOP per batch-8 64×64 step). */
  filters?: readonly number[];
  /** Seed of the weight initializers, so every model starts from the same weights. */
  seed?: number;
}

/**
 * A U-Net (Ronneberger et al. 2015) in the tfjs-layers functional API: at each level two 3×3
 * convolutions with ReLU, 2×2 max-pooling down, nearest upsampling and a concatenated skip
 * connection up, and a 1×1 convolution with a sigmoid: one foreground probability per pixel.
 * Upsampling + convolution instead of transposed convolutions keeps to the kernels every tfjs
 * backend has.
 */
export function unet(options: UNetOptions): tfl.LayersModel {
  const { size, filters = [8, 16, 32, 64], seed = 1 } = options;
  if (size % 2 ** (filters.length - 1) !== 0)
    throw new Error(
      `size: expected a multiple of ${2 ** (filters.length - 1)} for ${filters.length} levels, got ${size}`,
    );
  let next = seed;
  const init = () => tfl.initializers.heNormal({ seed: next++ });
  const conv = (n: number, x: tfl.SymbolicTensor) =>
    tfl.layers
      .conv2d({ filters: n, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init() })
      .apply(x) as tfl.SymbolicTensor;
  const block = (n: number, x: tfl.SymbolicTensor) => conv(n, conv(n, x));

  const input = tfl.input({ shape: [size, size, 1] });
  const skips: tfl.SymbolicTensor[] = [];
  let x = input;
  filters.forEach((n, level) => {
    x = block(n, x);
    if (level < filters.length - 1) {
      skips.push(x);
      x = tfl.layers.maxPooling2d({ poolSize: 2 }).apply(x) as tfl.SymbolicTensor;
    }
  });
  for (let level = filters.length - 2; level >= 0; level--) {
    const up = tfl.layers.upSampling2d({ size: [2, 2] }).apply(x) as tfl.SymbolicTensor;
    x = block(filters[level], tfl.layers.concatenate().apply([skips[level], up]) as tfl.SymbolicTensor);
  }
  const output = tfl.layers
    .conv2d({
      filters: 1,
      kernelSize: 1,
      activation: 'sigmoid',
      kernelInitializer: tfl.initializers.glorotNormal({ seed: next }),
    })
    .apply(x) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: output });
}
