package hybridlab.kernels;

/**
 * A strided view of a batch of matrices inside a slice: element {@code (b, i, j)} lives at
 * {@code slice.offset() + b * batchStride + i * rowStride + j * colStride}.
 *
 * <p>Transposes are views (swap the strides), so one GEMM covers NN, NT and TN products.
 */
public record MatView(Slice slice, int rowStride, int colStride, int batchStride) {

    /** A row-major {@code rows x cols} matrix repeated every {@code batchStride} elements. */
    public static MatView rowMajor(Slice s, int cols, int batchStride) {
        return new MatView(s, cols, 1, batchStride);
    }

    /** The transpose of this view. */
    public MatView t() {
        return new MatView(slice, colStride, rowStride, batchStride);
    }

    /** Largest element offset touched (relative to the slice) by a batch of rows x cols. */
    long maxIndex(int batch, int rows, int cols) {
        return (long) (batch - 1) * batchStride + (long) (rows - 1) * rowStride + (long) (cols - 1) * colStride;
    }

    void check(String what, int batch, int rows, int cols) {
        if (rowStride < 0 || colStride < 0 || batchStride < 0) {
            throw new IllegalArgumentException(what + ": negative stride");
        }
        if (batch > 0 && rows > 0 && cols > 0 && maxIndex(batch, rows, cols) >= slice.length()) {
            throw new IllegalArgumentException(what + ": view " + batch + "x" + rows + "x" + cols
                    + " overruns " + slice);
        }
    }
}
