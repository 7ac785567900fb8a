package hybridlab.nn;

import hybridlab.kernels.Slice;
import java.util.Arrays;

/**
 * A handle on a plan's buffer: its shape, its data slice, and (when it takes part in backward)
 * its gradient. Tensors hold no numbers themselves; kernels read and write the slices.
 * Views of the same buffer share one {@link Grad}.
 */
public final class Tensor {
    private final int[] shape;
    private final Slice data;
    final Grad grad;

    /** Gradient bookkeeping shared by a tensor and its views. */
    static final class Grad {
        final boolean required;
        Slice slice;
        boolean written;

        Grad(boolean required, Slice slice) {
            this.required = required;
            this.slice = slice;
        }
    }

    Tensor(int[] shape, Slice data, Grad grad) {
        if (numel(shape) != data.length()) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not fit " + data);
        }
        this.shape = shape.clone();
        this.data = data;
        this.grad = grad;
    }

    public static long numel(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    public int[] shape() {
        return shape.clone();
    }

    /** Size of dimension {@code i}; negative counts from the end. */
    public int dim(int i) {
        return shape[i < 0 ? shape.length + i : i];
    }

    public int rank() {
        return shape.length;
    }

    public int size() {
        return data.length();
    }

    public Slice data() {
        return data;
    }

    public boolean requiresGrad() {
        return grad.required;
    }

    /** The same buffer under another shape with as many elements; shares the gradient. */
    public Tensor view(int... newShape) {
        return new Tensor(newShape, data, grad);
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape) + "@" + data;
    }
}
