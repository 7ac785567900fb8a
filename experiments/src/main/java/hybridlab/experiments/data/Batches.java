package hybridlab.experiments.data;

/**
 * Copies images into a plan's input slice, with optional random crop (zero padding) and
 * horizontal flip drawn from a stream of (seed, epoch, position), so augmentation is part of
 * the run's deterministic sequence.
 */
public final class Batches {
    private Batches() {
    }

    /** splitmix64 finaliser: a position's random bits without any generator object. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Fills {@code count} images (dataset rows {@code order[from..from+count)}) into
     * {@code dst[dstOff..]} and their labels into {@code labels[labOff..]}; the rest of a batch of
     * {@code batch} is zero images with label -1 (padding that counts for nothing).
     */
    public static void fill(Dataset d, int[] order, int from, int count, int batch, float[] dst, int dstOff,
                            int[] labels, int labOff, int cropPad, boolean hflip, long seed, int epoch) {
        int per = d.imageSize(), size = d.size();
        for (int i = 0; i < batch; i++) {
            int o = dstOff + i * per;
            if (i >= count) {
                java.util.Arrays.fill(dst, o, o + per, 0f);
                labels[labOff + i] = -1;
                continue;
            }
            int src = order[from + i];
            labels[labOff + i] = d.labels()[src];
            if (cropPad == 0 && !hflip) {
                System.arraycopy(d.images(), src * per, dst, o, per);
                continue;
            }
            long r = mix(seed * 0x9E3779B97F4A7C15L ^ ((long) epoch << 32) ^ (from + i));
            int span = 2 * cropPad + 1;
            int dy = (int) Long.remainderUnsigned(r, span) - cropPad;
            int dx = (int) Long.remainderUnsigned(r >>> 20, span) - cropPad;
            boolean flip = hflip && (r >>> 63) != 0;
            for (int c = 0; c < d.channels(); c++) {
                int plane = src * per + c * size * size, out = o + c * size * size;
                for (int y = 0; y < size; y++) {
                    int sy = y + dy;
                    for (int x = 0; x < size; x++) {
                        int sx = (flip ? size - 1 - x : x) + dx;
                        dst[out + y * size + x] = sy >= 0 && sy < size && sx >= 0 && sx < size
                                ? d.images()[plane + sy * size + sx] : 0f;
                    }
                }
            }
        }
    }
}
