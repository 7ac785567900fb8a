package hybridlab.kernels;

import hybridlab.backend.tornado.DeviceLimits;
import hybridlab.backend.tornado.DeviceTasks;
import hybridlab.backend.tornado.Launch;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * Device twins of {@link Conv}: every convolution is a product on the device GEMM
 * ({@link TornadoGemm}), per image and group, of the weights and the input's patches, the
 * patches read in place where they can be:
 * <ul>
 * <li>stride 1 ({@link ImplicitConv#applies}): the input is copied into zero-padded planes
 * ({@link #pad}) and the GEMM reads tap {@code (c, ky, kx)} as the run of plane {@code c}
 * shifted by {@code ky dil pitch + kx dil}, computing in the planes' pitch and dropping the pad
 * columns as it stores (an implicit im2col, as the JVM's {@link ImplicitConv}). The backward data
 * pass is the same convolution of the padded output gradient with the mirrored, transposed
 * filters ({@link #mirror});
 * <li>other strides: the patches go through an explicit im2col in the device workspace
 * ({@link #patches}), and the backward data pass scatters the GEMM's patch gradients back by
 * gathering them per input pixel ({@link #col2im});
 * <li>the weight gradient: on the blocked GEMM at stride 1, the input's padded planes read as A's
 * rows of taps times the output gradient copied into the planes' pitch ({@link #pitchRows});
 * otherwise the transposed patches ({@link #patches}, pixels by taps) times the output gradient;
 * summed over each run of images into its partial sum.
 * </ul>
 * The copies are loops over their outputs, one work-item per element ({@link #pitchRows}: a
 * work-item per row).
 */
public final class TornadoConv {
    private TornadoConv() {
    }

    /**
     * Zero-padded planes: {@code dst[plane][r pitch + c] = src[plane][(r - pad) w + c - pad]}
     * inside the image, else 0, for {@code planes} planes of {@code len} floats ({@code rows x pitch}
     * and a zero tail). args: srcOff, dstOff, planes, h, w, pad, rows, pitch, len.
     */
    public static void pad(FloatArray mem, IntArray args) {
        int src = args.get(0), dst = args.get(1), planes = args.get(2), h = args.get(3), w = args.get(4), pad = args.get(5);
        int rows = args.get(6), pitch = args.get(7), len = args.get(8);
        for (@Parallel int i = 0; i < planes * len; i++) {
            int plane = i / len, r = i - plane * len;
            int y = r / pitch - pad, x = r % pitch - pad;
            float v = 0f;
            if (r < rows * pitch && y >= 0 && y < h && x >= 0 && x < w) {
                v = mem.get(src + (plane * h + y) * w + x);
            }
            mem.set(dst + i, v);
        }
    }

    /**
     * The filters mirrored and transposed for the backward data pass: {@code dst[g][cl][co][ky][kx]
     * = w[g coutG + co][cl][k-1-ky][k-1-kx]}. args: wOff, dstOff, groups, cinG, coutG, k.
     */
    public static void mirror(FloatArray mem, IntArray args) {
        int w = args.get(0), dst = args.get(1), groups = args.get(2), cinG = args.get(3), coutG = args.get(4), k = args.get(5);
        int kk = k * k;
        for (@Parallel int i = 0; i < groups * cinG * coutG * kk; i++) {
            int t = i % kk, co = (i / kk) % coutG, cl = (i / (kk * coutG)) % cinG, g = i / (kk * coutG * cinG);
            int ky = t / k, kx = t % k;
            mem.set(dst + i, mem.get(w + ((g * coutG + co) * cinG + cl) * kk + (k - 1 - ky) * k + (k - 1 - kx)));
        }
    }

    /**
     * Patches: {@code cols[b][g][(cl, ky, kx)][(oy, ox)]} = the input pixel under tap
     * {@code (ky, kx)} of output pixel {@code (oy, ox)}, 0 in the padding; with {@code transposed}
     * the pixels are the rows ({@code cols[b][g][(oy, ox)][(cl, ky, kx)]}). args: xOff, colsOff,
     * batch, cin, h, w, k, stride, pad, dil, groups, oh, ow, transposed.
     */
    public static void patches(FloatArray mem, IntArray args) {
        int x = args.get(0), cols = args.get(1), batch = args.get(2), cin = args.get(3), h = args.get(4), w = args.get(5);
        int k = args.get(6), stride = args.get(7), pad = args.get(8), dil = args.get(9), groups = args.get(10);
        int oh = args.get(11), ow = args.get(12), transposed = args.get(13);
        int cinG = cin / groups, kk = k * k, patch = cinG * kk, pixels = oh * ow;
        for (@Parallel int i = 0; i < batch * groups * patch * pixels; i++) {
            int bg = i / (patch * pixels), r = i - bg * (patch * pixels);
            int p = transposed != 0 ? r % patch : r / pixels, q = transposed != 0 ? r / patch : r % pixels;
            int cl = p / kk, t = p - cl * kk, ky = t / k, kx = t - ky * k;
            int iy = (q / ow) * stride - pad + ky * dil, ix = (q % ow) * stride - pad + kx * dil;
            float v = 0f;
            if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                int b = bg / groups, g = bg - b * groups;
                v = mem.get(x + ((b * cin + g * cinG + cl) * h + iy) * w + ix);
            }
            mem.set(cols + i, v);
        }
    }

    /**
     * An output gradient transposed into the padded input planes' pitch, the weight gradient's B
     * on a CPU device: {@code dst[b][g][oy pitch + ox][co] = dy[b][g coutG + co][oy][ox]}, zero in
     * the pad columns {@code ox >= ow}. Work-item {@code (oy, b groups + g)} writes one row.
     * args: dyOff, dstOff, batch, cout, groups, oh, ow, pitch.
     */
    public static void pitchRows(KernelContext ctx, FloatArray mem, IntArray args) {
        int oy = ctx.globalIdx, bg = ctx.globalIdy;
        int batch = args.get(2), cout = args.get(3), groups = args.get(4), oh = args.get(5), ow = args.get(6), pitch = args.get(7);
        if (oy < oh && bg < batch * groups) {
            int cg = cout / groups, b = bg / groups, g = bg - b * groups;
            int src = args.get(0) + (b * cout + g * cg) * oh * ow + oy * ow, dst = args.get(1) + ((bg * oh + oy) * pitch) * cg;
            for (int ox = 0; ox < pitch; ox++) {
                for (int co = 0; co < cg; co++) {
                    mem.set(dst + ox * cg + co, ox < ow ? mem.get(src + co * oh * ow + ox) : 0f);
                }
            }
        }
    }

    /**
     * The backward data pass of a strided convolution, from the patch gradients
     * {@code dcol[b][g][(cl, ky, kx)][(oy, ox)]}: each input pixel gathers the taps that read it.
     * args: dcolOff, dxOff, batch, cin, h, w, k, stride, pad, dil, groups, oh, ow, accumulate.
     */
    public static void col2im(FloatArray mem, IntArray args) {
        int dcol = args.get(0), dx = args.get(1), batch = args.get(2), cin = args.get(3), h = args.get(4), w = args.get(5);
        int k = args.get(6), stride = args.get(7), pad = args.get(8), dil = args.get(9), groups = args.get(10);
        int oh = args.get(11), ow = args.get(12), accumulate = args.get(13);
        int cinG = cin / groups, pixels = oh * ow;
        for (@Parallel int i = 0; i < batch * cin * h * w; i++) {
            int ix = i % w, iy = (i / w) % h, ci = (i / (h * w)) % cin, b = i / (cin * h * w);
            int g = ci / cinG, cl = ci - g * cinG;
            int base = dcol + ((b * groups + g) * cinG + cl) * k * k * pixels;
            float s = 0f;
            // taps whose output pixel lies in the map; the stride's divisibility stays a test
            for (int ky = firstGatherTap(iy + pad, oh, stride, dil); ky < endGatherTap(iy + pad, k, dil); ky++) {
                int ty = iy + pad - ky * dil;
                if (ty % stride == 0) {
                    for (int kx = firstGatherTap(ix + pad, ow, stride, dil); kx < endGatherTap(ix + pad, k, dil); kx++) {
                        int tx = ix + pad - kx * dil;
                        if (tx % stride == 0) {
                            s += mem.get(base + (ky * k + kx) * pixels + (ty / stride) * ow + tx / stride);
                        }
                    }
                }
            }
            mem.set(dx + i, accumulate != 0 ? mem.get(dx + i) + s : s);
        }
    }

    // Taps that stay inside the map are loop bounds rather than ifs in the kernels: with a
    // window wider than a small map, an if that never holds folds to a constant, which
    // TornadoVM's OpenCL code generator rejects (LogicConstantNode).

    /** First tap {@code t} with {@code at - t dil <= (outSize - 1) stride}, i.e. an output row inside. */
    static int firstGatherTap(int at, int outSize, int stride, int dil) {
        return Math.max(0, (at - (outSize - 1) * stride + dil - 1) / dil);
    }

    /** One past the last tap {@code t < k} with {@code at - t dil >= 0}. */
    static int endGatherTap(int at, int k, int dil) {
        return Math.min(k, at / dil + 1);
    }

    /** First tap {@code t} with {@code start + t dil >= 0}. */
    static int firstTap(int start, int dil) {
        return Math.max(0, (dil - 1 - start) / dil);
    }

    /** One past the last tap {@code t < k} with {@code start + t dil < size}. */
    static int endTap(int start, int size, int k, int dil) {
        return Math.min(k, Math.max(0, (size - start + dil - 1) / dil));
    }

    static int outSize(int size, int k, int stride, int pad, int dil) {
        return (size + 2 * pad - dil * (k - 1) - 1) / stride + 1;
    }

    // Task bindings: the device tasks each step of Conv adds to a graph (called by the backend's dispatch).

    /** Padded planes of an input ({@code forward}) or of an output gradient ({@code !forward}), as {@link ImplicitConv.Planes}. */
    static ImplicitConv.Planes planes(ConvShape c, boolean forward) {
        return forward ? ImplicitConv.Planes.input(c) : ImplicitConv.Planes.outputGrad(c);
    }

    /** Copies {@code count} planes of {@code h x w} at {@code src} into padded planes {@code p} at {@code dst}. */
    static void bindPad(DeviceTasks t, int src, int dst, int count, int h, int w, int pad, ImplicitConv.Planes p) {
        t.graph().task(t.task(Launch.loops(count * p.len())), TornadoConv::pad, t.heap(),
                t.args(src, dst, count, h, w, pad, p.rows(), p.pitch(), p.len()));
    }

    static void bindPatches(DeviceTasks t, ConvShape c, int x, int cols, boolean transposed) {
        t.graph().task(t.task(Launch.loops(c.batch() * c.groups() * c.patch() * c.oh() * c.ow())), TornadoConv::patches, t.heap(),
                t.args(x, cols, c.batch(), c.cin(), c.h(), c.w(), c.k(), c.stride(), c.pad(), c.dil(), c.groups(), c.oh(), c.ow(),
                        DeviceTasks.flag(transposed)));
    }

    public static void bind(DeviceTasks t, Conv.Forward s) {
        ConvShape c = s.s();
        int ws = t.workspace(), cg = c.coutPerGroup(), pixels = c.oh() * c.ow();
        TornadoGemm.Call call = new TornadoGemm.Call()
                .a(t.at(s.w()), c.patch(), 1, 0, cg * c.patch())
                .c(t.at(s.y()), pixels, 1, c.cout() * pixels, cg * pixels)
                .norm(t, s.norm());
        if (ImplicitConv.applies(c)) {
            ImplicitConv.Planes p = planes(c, true);
            bindPad(t, t.at(s.x()), ws, c.batch() * c.cin(), c.h(), c.w(), c.pad(), p);
            call.b(ws, p.len(), 1, c.cin() * p.len(), c.cinPerGroup() * p.len())
                    .shape(c.batch(), c.groups(), cg, p.q(), c.patch())
                    .taps(c.cinPerGroup(), c.k(), c.k(), c.dil() * p.pitch(), c.dil())
                    .pitched(p.pitch(), c.ow());
        } else {
            bindPatches(t, c, t.at(s.x()), ws, false);
            call.b(ws, pixels, 1, c.groups() * c.patch() * pixels, c.patch() * pixels)
                    .shape(c.batch(), c.groups(), cg, pixels, c.patch());
        }
        if (s.bias() != null) {
            call.bias(t.at(s.bias()), true);
        }
        TornadoGemm.run(t, call);
    }

    public static void bind(DeviceTasks t, Conv.BackwardData s) {
        ConvShape c = s.s();
        int ws = t.workspace(), cg = c.coutPerGroup(), cinG = c.cinPerGroup(), kk = c.k() * c.k(), pixels = c.oh() * c.ow();
        TornadoGemm.Call call = new TornadoGemm.Call().accumulate(s.accumulate());
        if (ImplicitConv.applies(c)) {
            // dx = conv(dy padded by dil (k - 1) - pad, mirrored filters): cinG rows of coutG x k x k taps
            ImplicitConv.Planes p = planes(c, false);
            int mirrored = ws, padded = ws + c.weightSize();
            t.graph().task(t.task(Launch.loops(c.weightSize())), TornadoConv::mirror, t.heap(),
                    t.args(t.at(s.w()), mirrored, c.groups(), cinG, cg, c.k()));
            bindPad(t, t.at(s.dy()), padded, c.batch() * c.cout(), c.oh(), c.ow(), c.dil() * (c.k() - 1) - c.pad(), p);
            call.a(mirrored, cg * kk, 1, 0, cinG * cg * kk)
                    .b(padded, p.len(), 1, c.cout() * p.len(), cg * p.len())
                    .c(t.at(s.dx()), c.h() * c.w(), 1, c.cin() * c.h() * c.w(), cinG * c.h() * c.w())
                    .shape(c.batch(), c.groups(), cinG, p.q(), cg * kk)
                    .taps(cg, c.k(), c.k(), c.dil() * p.pitch(), c.dil())
                    .pitched(p.pitch(), c.w());
            TornadoGemm.run(t, call);
        } else {
            // patch gradients dcol = w_g^T dy_g, then gathered per input pixel
            call.a(t.at(s.w()), 1, c.patch(), 0, cg * c.patch())
                    .b(t.at(s.dy()), pixels, 1, c.cout() * pixels, cg * pixels)
                    .c(ws, pixels, 1, c.groups() * c.patch() * pixels, c.patch() * pixels)
                    .shape(c.batch(), c.groups(), c.patch(), pixels, cg).accumulate(false);
            TornadoGemm.run(t, call);
            t.graph().task(t.task(Launch.loops(c.inSize())), TornadoConv::col2im, t.heap(),
                    t.args(ws, t.at(s.dx()), c.batch(), c.cin(), c.h(), c.w(), c.k(), c.stride(), c.pad(), c.dil(), c.groups(),
                            c.oh(), c.ow(), DeviceTasks.flag(s.accumulate())));
        }
    }

    /**
     * Partial weight gradient {@code r} sums the images {@code [r per, min(batch, (r + 1) per))},
     * {@code per = ceil(batch / parts)}: the output gradient (cout rows of pixels) times the
     * transposed patches (pixels by taps), summed over the run's images.
     */
    public static void bind(DeviceTasks t, Conv.BackwardWeight s) {
        ConvShape c = s.s();
        int ws = t.workspace(), cg = c.coutPerGroup(), pixels = c.oh() * c.ow();
        int per = (c.batch() + s.parts() - 1) / s.parts(), runs = (c.batch() + per - 1) / per;
        if (tapsOnA(t, c)) {
            // dw^T (taps x cout) = taps read in the padded input planes, times dy^T in the planes' pitch
            ImplicitConv.Planes p = planes(c, true);
            int grads = ws + c.batch() * c.cin() * p.len(), q = c.oh() * p.pitch();
            bindPad(t, t.at(s.x()), ws, c.batch() * c.cin(), c.h(), c.w(), c.pad(), p);
            t.graph().task(t.task(Launch.groups(new int[] {c.oh(), c.batch() * c.groups()}, new int[] {1, 1})), TornadoConv::pitchRows,
                    t.ctx(), t.heap(), t.args(t.at(s.dy()), grads, c.batch(), c.cout(), c.groups(), c.oh(), c.ow(), p.pitch()));
            TornadoGemm.run(t, new TornadoGemm.Call()
                    .a(ws, p.len(), 1, c.cin() * p.len(), c.cinPerGroup() * p.len())
                    .aTaps(c.k(), c.k(), c.dil() * p.pitch(), c.dil())
                    .b(grads, cg, 1, c.groups() * q * cg, q * cg)
                    .c(t.at(s.partials()), 1, c.patch(), c.weightSize(), cg * c.patch())
                    .shape(c.batch(), c.groups(), c.patch(), cg, q)
                    .sumRuns(per));
        } else {
            bindPatches(t, c, t.at(s.x()), ws, true);
            TornadoGemm.run(t, new TornadoGemm.Call()
                    .a(t.at(s.dy()), pixels, 1, c.cout() * pixels, cg * pixels)
                    .b(ws, c.patch(), 1, c.groups() * pixels * c.patch(), pixels * c.patch())
                    .c(t.at(s.partials()), c.patch(), 1, c.weightSize(), cg * c.patch())
                    .shape(c.batch(), c.groups(), cg, c.patch(), pixels)
                    .sumRuns(per));
        }
        if (runs < s.parts()) {
            // the partials no run reaches are zero, as the JVM's empty runs write
            int from = t.at(s.partials()) + runs * c.weightSize(), n = (s.parts() - runs) * c.weightSize();
            t.graph().task(t.task(Launch.loops(n)), TornadoElementwise::fill, t.heap(), t.args(from, n), t.floats(0f));
        }
    }

    /** Device workspace floats of a convolution step: its padded planes, patches or mirrored filters. */
    public static int workspaceFloats(Conv.Forward s) {
        ConvShape c = s.s();
        return ImplicitConv.applies(c) ? c.batch() * c.cin() * planes(c, true).len() : patchesFloats(c);
    }

    public static int workspaceFloats(Conv.BackwardData s) {
        ConvShape c = s.s();
        return ImplicitConv.applies(c) ? c.weightSize() + c.batch() * c.cout() * planes(c, false).len() : patchesFloats(c);
    }

    public static int workspaceFloats(Conv.BackwardWeight s, DeviceLimits d) {
        ConvShape c = s.s();
        if (tapsOnA(d, c)) {
            ImplicitConv.Planes p = planes(c, true);
            return c.batch() * c.cin() * p.len() + c.batch() * c.cout() * c.oh() * p.pitch();
        }
        return patchesFloats(c);
    }

    /** Whether the weight gradient reads the taps in padded planes (the blocked GEMM, at stride 1), else the transposed patches. */
    static boolean tapsOnA(DeviceTasks t, ConvShape c) {
        return tapsOnA(t.limits(), c);
    }

    static boolean tapsOnA(DeviceLimits d, ConvShape c) {
        return TornadoGemm.blocked(d) && ImplicitConv.applies(c);
    }

    static int patchesFloats(ConvShape c) {
        return c.batch() * c.groups() * c.patch() * c.oh() * c.ow();
    }
}
