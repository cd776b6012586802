import * as tf from '@tensorflow/tfjs-core';

/**
 * A sparse matrix built on the host and applied on the device by one gather: (A·v)[r] =
 * Σ A[r, c] · v[c] over the stored entries of row r, summed in the order they were added.
 *
 * The ops use it for what their forward pass already knows on the host — which input elements a
 * diagram's pair came from (the backward pass is dx = Jᵀ·dy), which vertices a cover element pools
 * — so that neither pass reads a tensor back: a read stalls a GPU backend, and a training step
 * should have one, the read that computes the diagrams. Uploads: one index table (and one value
 * table unless every entry is 1) with a row per matrix row, as wide as the fullest row.
 */
export class SparseMatrix {
  private readonly rowOf: number[] = [];
  private readonly columnOf: number[] = [];
  private readonly valueOf: number[] = [];

  constructor(
    readonly rows: number,
    readonly columns: number,
  ) {}

  /** Adds `value` at (row, column); repeated positions add up. */
  add(row: number, column: number, value = 1): void {
    this.rowOf.push(row);
    this.columnOf.push(column);
    this.valueOf.push(value);
  }

  /** The transpose, its entries in the order they were added. */
  transpose(): SparseMatrix {
    const t = new SparseMatrix(this.columns, this.rows);
    for (let j = 0; j < this.rowOf.length; j++) t.add(this.columnOf[j], this.rowOf[j], this.valueOf[j]);
    return t;
  }

  /** A·v for `v` with `columns` entries (any shape, row-major), reshaped to `shape`. */
  multiply(v: tf.Tensor, shape: number[]): tf.Tensor {
    const { rowOf, columnOf, valueOf, rows, columns } = this;
    const count = new Int32Array(rows);
    for (const r of rowOf) count[r]++;
    let width = 0; // entries in the fullest row
    for (const c of count) if (c > width) width = c;
    if (width === 0) return tf.zeros(shape);
    // Row r's entries in slots r·width …; unused slots point at a zero appended to v.
    const index = new Int32Array(rows * width).fill(columns);
    const values = new Float32Array(rows * width);
    count.fill(0);
    for (let j = 0; j < rowOf.length; j++) {
      const slot = rowOf[j] * width + count[rowOf[j]]++;
      index[slot] = columnOf[j];
      values[slot] = valueOf[j];
    }
    const ones = valueOf.every((x) => x === 1);
    return tf.tidy(() => {
      const padded = tf.concat([tf.reshape(v, [columns]), tf.zeros([1])]);
      let terms = tf.gather(padded, tf.tensor1d(index, 'int32'));
      if (!ones) terms = tf.mul(terms, tf.tensor1d(values, 'float32'));
      return tf.reshape(width === 1 ? terms : tf.sum(tf.reshape(terms, [rows, width]), 1), shape);
    });
  }
}
