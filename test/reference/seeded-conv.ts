import * as tfl from '@tensorflow/tfjs-layers';

/** A 3×3 'same' convolution with seeded weights, so that a test that trains runs alike everywhere. */
export function seededConv2d(args: {
  filters: number;
  activation: 'sigmoid' | 'relu';
  seed: number;
  inputShape?: number[];
}): tfl.layers.Layer {
  const { seed, ...rest } = args;
  return tfl.layers.conv2d({
    kernelSize: 3,
    padding: 'same',
    kernelInitializer: tfl.initializers.glorotUniform({ seed }),
    ...rest,
  });
}
