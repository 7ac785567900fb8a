package hybridlab.kernels;

import hybridlab.backend.tornado.DeviceTasks;
import hybridlab.backend.tornado.Launch;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Device twins of {@link Rows}: column sums and batched transposes of row-major matrices. Column
 * sums are a work-group reduction per column (GPU) or 16 columns per work-item in lanes (CPU).
 */
public final class TornadoRows {
    private TornadoRows() {
    }

    /**
     * {@link Rows.Transpose}: {@code dst[b, j, i] (+)= src[b, i, j]}; one work-item per destination element.
     * args: sOff, dOff, batch, rows, cols, accumulate, in that order.
     */
    public static void transpose(FloatArray mem, IntArray args) {
        int sOff = args.get(0), dOff = args.get(1), batch = args.get(2), rows = args.get(3), cols = args.get(4);
        int accumulate = args.get(5);
        for (@Parallel int i = 0; i < Math.max(0, rows); i++) {
            for (@Parallel int j = 0; j < Math.max(0, cols); j++) {
                for (@Parallel int b = 0; b < Math.max(0, batch); b++) {
                    float v = mem.get(sOff + (b * rows + i) * cols + j);
                    int o = dOff + (b * cols + j) * rows + i;
                    mem.set(o, accumulate != 0 ? mem.get(o) + v : v);
                }
            }
        }
    }

    /**
     * {@link Rows.SumRows}: {@code dst[j] (+)= sum_i src[i rowStride + j]}, as a work-group
     * reduction ({@link TornadoGroups}): one work-group per column.
     * args: sOff, rows, cols, rowStride, dOff, accumulate, in that order.
     */
    public static void sumRowsGroups(KernelContext ctx, FloatArray mem, IntArray args) {
        int sOff = args.get(0), rows = args.get(1), cols = args.get(2), rowStride = args.get(3), dOff = args.get(4);
        int accumulate = args.get(5);
        float[] part = ctx.allocateFloatLocalArray(256);
        int j = ctx.groupIdx, lid = ctx.localIdx, g = ctx.localGroupSizeX;
        float acc = 0f;
        for (int i = lid; i < rows; i += g) {
            acc += mem.get(sOff + i * rowStride + j);
        }
        part[lid] = acc;
        for (int s = g / 2; s > 0; s /= 2) {
            ctx.localBarrier();
            if (lid < s) {
                part[lid] += part[lid + s];
            }
        }
        ctx.localBarrier();
        if (lid == 0) {
            int o = dOff + j;
            mem.set(o, accumulate != 0 ? mem.get(o) + part[0] : part[0]);
        }
    }

    /**
     * {@link Rows.SumRows} on a CPU device: work-item {@code x} sums columns {@code [16 x, 16 x + 16)}
     * in 16 lanes, rows in order. args as {@link #sumRowsGroups}.
     */
    public static void sumRowsBlocks(KernelContext ctx, FloatArray mem, IntArray args) {
        int j0 = ctx.globalIdx * 16, cols = args.get(2);
        if (j0 < cols) {
            int sOff = args.get(0), rows = args.get(1), rowStride = args.get(3), dOff = args.get(4), accumulate = args.get(5);
            float[] acc = new float[16];
            for (int l = 0; l < 16; l++) {
                acc[l] = 0f;
            }
            if (j0 + 16 <= cols) {
                for (int i = 0; i < rows; i++) {
                    for (int l = 0; l < 16; l++) {
                        acc[l] += mem.get(sOff + i * rowStride + j0 + l);
                    }
                }
            } else {
                for (int i = 0; i < rows; i++) {
                    for (int l = 0; l < cols - j0; l++) {
                        acc[l] += mem.get(sOff + i * rowStride + j0 + l);
                    }
                }
            }
            for (int l = 0; l < Math.min(16, cols - j0); l++) {
                int o = dOff + j0 + l;
                mem.set(o, accumulate != 0 ? mem.get(o) + acc[l] : acc[l]);
            }
        }
    }

    // Task bindings: the device tasks each step of Rows adds to a graph (called by the backend's dispatch).

    public static void bind(DeviceTasks t, Rows.SumRows s) {
        var args = t.args(t.at(s.src()), s.rows(), s.cols(), s.rowStride(), t.at(s.dst()), DeviceTasks.flag(s.accumulate()));
        if (t.cpu()) {
            t.graph().task(t.task(Launch.groups(new int[] {(s.cols() + 15) / 16}, new int[] {1})), TornadoRows::sumRowsBlocks, t.ctx(),
                    t.heap(), args);
        } else {
            t.graph().task(t.task(t.reduce(s.cols(), s.rows())), TornadoRows::sumRowsGroups, t.ctx(), t.heap(), args);
        }
    }

    public static void bind(DeviceTasks t, Rows.Transpose s) {
        t.graph().task(t.task(Launch.loops(s.rows(), s.cols(), s.batch())), TornadoRows::transpose, t.heap(),
                t.args(t.at(s.src()), t.at(s.dst()), s.batch(), s.rows(), s.cols(), DeviceTasks.flag(s.accumulate())));
    }
}
