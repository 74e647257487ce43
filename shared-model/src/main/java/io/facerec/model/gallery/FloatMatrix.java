package io.facerec.model.gallery;

import java.util.Arrays;

/** A dense row-major float matrix: one embedding per row. */
public record FloatMatrix(int rows, int cols, float[] data) {
    public FloatMatrix {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("negative shape " + rows + "x" + cols);
        }
        if ((long) rows * cols != data.length) {
            throw new IllegalArgumentException(
                    "shape " + rows + "x" + cols + " does not fit " + data.length + " values");
        }
    }

    public static FloatMatrix ofRows(int cols, java.util.List<float[]> rows) {
        float[] data = new float[rows.size() * cols];
        for (int r = 0; r < rows.size(); r++) {
            float[] row = rows.get(r);
            if (row.length != cols) {
                throw new IllegalArgumentException("row " + r + " has " + row.length + " values, expected " + cols);
            }
            System.arraycopy(row, 0, data, r * cols, cols);
        }
        return new FloatMatrix(rows.size(), cols, data);
    }

    public float[] row(int r) {
        return Arrays.copyOfRange(data, r * cols, (r + 1) * cols);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FloatMatrix m && m.rows == rows && m.cols == cols && Arrays.equals(m.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * rows + cols) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "FloatMatrix[" + rows + "x" + cols + "]";
    }
}
