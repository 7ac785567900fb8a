package hybridlab.nn;

import java.util.SplittableRandom;

/** How a parameter starts: constants, or a truncated normal (cut at two standard deviations). */
public sealed interface Init {
    record Constant(float value) implements Init {
    }

    record TruncNormal(float std) implements Init {
    }

    /**
     * Convolution weights: a truncated normal with PyTorch's default variance for the layer's
     * fan-in ({@code 1 / (3 fan_in)}, that of {@code U(-1/sqrt(fan_in), 1/sqrt(fan_in))}).
     */
    record FanIn() implements Init {
    }

    /**
     * Fixed sinusoidal position encoding of a {@code (..., positions, width)} tensor:
     * {@code sin(pos / 10000^(2i/width))} in even columns 2i, {@code cos} of the same in odd ones.
     */
    record Sinusoid() implements Init {
    }

    Init ZEROS = new Constant(0f);
    Init ONES = new Constant(1f);
    /** Linear weights and CLS tokens, as the seeds initialise them ({@code trunc_normal_(std=.02)}). */
    Init LINEAR = new TruncNormal(0.02f);
    Init CONV = new FanIn();

    /** Fills {@code out[offset .. offset + n)} for a parameter of the given shape. */
    default void fill(float[] out, int offset, int[] shape, SplittableRandom rng) {
        int n = (int) Tensor.numel(shape);
        float std = switch (this) {
            case Constant c -> {
                java.util.Arrays.fill(out, offset, offset + n, c.value());
                yield 0f;
            }
            case TruncNormal t -> t.std();
            case FanIn f -> {
                int fanIn = n / shape[0];
                yield (float) (1.0 / Math.sqrt(3.0 * fanIn));
            }
            case Sinusoid s -> {
                int width = shape[shape.length - 1];
                for (int i = 0; i < n; i++) {
                    int pos = i / width, j = i % width;
                    double angle = pos / Math.pow(10000, 2.0 * (j / 2) / width);
                    out[offset + i] = (float) (j % 2 == 0 ? Math.sin(angle) : Math.cos(angle));
                }
                yield 0f;
            }
        };
        if (this instanceof Constant || this instanceof Sinusoid) {
            return;
        }
        for (int i = 0; i < n; i++) {
            double v;
            do {
                v = gaussian(rng);
            } while (Math.abs(v) > 2.0);
            out[offset + i] = (float) (v * std);
        }
    }

    private static double gaussian(SplittableRandom rng) {
        // Box-Muller on the run's own stream, so initial weights depend only on the seed.
        double u1 = 1.0 - rng.nextDouble(), u2 = rng.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }
}
