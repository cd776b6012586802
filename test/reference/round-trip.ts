import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/**
 * Saves `original` in memory and loads it back; expects its layer `index` (the topological one) to
 * come back as `className` with the same config, and both models to predict the same on `x`.
 */
export async function expectRoundTrip(
  original: tfl.LayersModel,
  className: string,
  x: tf.Tensor,
  index = 1,
): Promise<void> {
  let saved: tf.io.ModelArtifacts | undefined;
  await original.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const loaded = await tfl.loadLayersModel(tf.io.fromMemory(saved!));
  const [a, b] = [original.layers[index], loaded.layers[index]];
  expect(b.getClassName()).toBe(className);
  expect(b.getConfig()).toEqual(a.getConfig());
  expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(
    Array.from((original.predict(x) as tf.Tensor).dataSync()),
  );
}

/**
 * Expects `copy` (a smeared loss layer rebuilt from `layer`'s config) to draw what `layer` draws:
 * the same term on `x` over three training calls of each. Disposes both.
 */
export function expectSameDraws(layer: tfl.layers.Layer, copy: tfl.layers.Layer, x: tf.Tensor): void {
  const terms = (l: tfl.layers.Layer) =>
    Array.from({ length: 3 }, () =>
      tf.tidy(() => {
        l.apply(x, { training: true });
        return (l.losses[0] as () => tf.Scalar)().dataSync()[0];
      }),
    );
  expect(terms(copy)).toEqual(terms(layer));
  layer.dispose();
  copy.dispose();
}
