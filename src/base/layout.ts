/**
 * How a tensor's shape splits into independent scalar fields ("maps"), each one image or volume:
 *
 * | rank | shape              | maps  |
 * |------|--------------------|-------|
 * | 2    | [H, W]             | 1     |
 * | 3    | [D, H, W]          | 1     |
 * | 4    | [B, H, W, C]       | B · C |
 * | 5    | [B, D, H, W, C]    | B · C |
 *
 * Batched forms are channels-last, as tfjs layers. Map m = b · C + c holds the elements
 * b·(spatialSize·C) + i·C + c for the row-major spatial indices i.
 * @category Diagram ops
 */
export interface MapLayout {
  /** The tensor shape this layout describes. */
  readonly shape: readonly number[];
  /** Spatial shape of one map: [H, W] or [D, H, W]. */
  readonly spatial: readonly number[];
  /** Batch size B: the first axis of a rank-4 or rank-5 shape, else 1. */
  readonly batch: number;
  /** Channel count C: the last axis of a rank-4 or rank-5 shape, else 1. */
  readonly channels: number;
  /** Number of maps: batch · channels. */
  readonly maps: number;
  /** Elements in one map. */
  readonly mapSize: number;
}

/**
 * The layout of a tensor of shape `shape` (rank 2 to 5, no empty axis); errors name the tensor `argument`.
 *
 * @category Diagram ops
 */
export function mapLayout(shape: readonly number[], argument = 'x'): MapLayout {
  const rank = shape.length;
  if (rank < 2 || rank > 5)
    throw new Error(
      `${argument}: expected a tensor of shape [H, W], [D, H, W], [B, H, W, C] or [B, D, H, W, C], got [${shape.join(', ')}]`,
    );
  if (shape.some((n) => n < 1)) throw new Error(`${argument}: expected no empty axis, got shape [${shape.join(', ')}]`);
  const batched = rank >= 4;
  const spatial = batched ? shape.slice(1, -1) : shape.slice();
  const batch = batched ? shape[0] : 1;
  const channels = batched ? shape[rank - 1] : 1;
  return {
    shape: shape.slice(),
    spatial,
    batch,
    channels,
    maps: batch * channels,
    mapSize: spatial.reduce((a, b) => a * b, 1),
  };
}

/** Flat index into the whole tensor of element `i` (row-major spatial index) of map `m`. */
export function flatIndex(layout: MapLayout, m: number, i: number): number {
  const { channels, mapSize } = layout;
  const c = m % channels;
  const b = (m - c) / channels;
  return (b * mapSize + i) * channels + c;
}

/** Copies map `m` of `data` into `out` (length mapSize); returns `out`, or a view when contiguous. */
export function readMap(layout: MapLayout, data: Float32Array, m: number, out: Float32Array): Float32Array {
  const { channels, mapSize } = layout;
  if (channels === 1) return data.subarray(m * mapSize, (m + 1) * mapSize);
  const c = m % channels;
  const base = ((m - c) / channels) * mapSize * channels + c;
  for (let i = 0; i < mapSize; i++) out[i] = data[base + i * channels];
  return out;
}
