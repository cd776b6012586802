import * as tf from '@tensorflow/tfjs-core';

/**
 * Backends whose tensors live in host memory: reading one back is a copy at most, and a loop over
 * the entries beats uploading index tables (at 512², 0.8 ms against 72 ms on cpu).
 */
const HOST_BACKENDS = ['cpu', 'wasm'];

/**
 * A sparse matrix built on the host and applied to a tensor: (A·v)[r] = Σ A[r, c] · v[c] over the
 * stored entries of row r, summed in the order they were added.
 *
 * The ops use it for what their forward pass already knows on the host — which input elements a
 * diagram's pair came from (the backward pass is dx = Jᵀ·dy), which vertices a cover element pools.
 * On a GPU backend it is applied on the device by one gather, so that neither pass reads a tensor
 * back (a read stalls the device, and a training step should have one, the read that computes the
 * diagrams); it uploads one index table (and one value table unless every entry is 1) with a row
 * per matrix row, as wide as the fullest row. On the cpu and wasm backends it reads `v` and loops.
 */
export class SparseMatrix {
  private readonly rowOf: Int32Array;
  private readonly columnOf: Int32Array;
  private readonly valueOf: Float64Array;
  private count = 0;

  /** An empty `rows` × `columns` matrix with room for `capacity` entries. */
  constructor(
    readonly rows: number,
    readonly columns: number,
    capacity: number,
  ) {
    this.rowOf = new Int32Array(capacity);
    this.columnOf = new Int32Array(capacity);
    this.valueOf = new Float64Array(capacity);
  }

  /** Adds `value` at (row, column); repeated positions add up. */
  add(row: number, column: number, value = 1): void {
    const j = this.count++;
    this.rowOf[j] = row;
    this.columnOf[j] = column;
    this.valueOf[j] = value;
  }

  /** The transpose, its entries in the order they were added. */
  transpose(): SparseMatrix {
    const t = new SparseMatrix(this.columns, this.rows, this.count);
    for (let j = 0; j < this.count; j++) t.add(this.columnOf[j], this.rowOf[j], this.valueOf[j]);
    return t;
  }

  /** A·v for `v` with `columns` entries (any shape, row-major), reshaped to `shape`. */
  multiply(v: tf.Tensor, shape: number[]): tf.Tensor {
    return HOST_BACKENDS.includes(tf.getBackend()) ? this.multiplyOnHost(v, shape) : this.gather(v, shape);
  }

  private multiplyOnHost(v: tf.Tensor, shape: number[]): tf.Tensor {
    const { rowOf, columnOf, valueOf, rows, count } = this;
    const x = v.dataSync();
    const out = new Float32Array(rows);
    for (let j = 0; j < count; j++) out[rowOf[j]] += valueOf[j] * x[columnOf[j]];
    return tf.tensor(out, shape, 'float32');
  }

  private gather(v: tf.Tensor, shape: number[]): tf.Tensor {
    const { rowOf, columnOf, valueOf, rows, columns, count } = this;
    const filled = new Int32Array(rows);
    for (let j = 0; j < count; j++) filled[rowOf[j]]++;
    let width = 0; // entries in the fullest row
    for (const f of filled) if (f > width) width = f;
    if (width === 0) return tf.zeros(shape);
    // Row r's entries in slots r·width …; unused slots point at a zero appended to v.
    const index = new Int32Array(rows * width).fill(columns);
    const values = new Float32Array(rows * width);
    filled.fill(0);
    let ones = true;
    for (let j = 0; j < count; j++) {
      const slot = rowOf[j] * width + filled[rowOf[j]]++;
      index[slot] = columnOf[j];
      values[slot] = valueOf[j];
      ones &&= valueOf[j] === 1;
    }
    return tf.tidy(() => {
      const padded = tf.concat([tf.reshape(v, [columns]), tf.zeros([1])]);
      let terms = tf.gather(padded, tf.tensor1d(index, 'int32'));
      if (!ones) terms = tf.mul(terms, tf.tensor1d(values, 'float32'));
      return tf.reshape(width === 1 ? terms : tf.sum(tf.reshape(terms, [rows, width]), 1), shape);
    });
  }
}
