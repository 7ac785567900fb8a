package hybridlab.nn;

import static org.junit.jupiter.api.Assertions.fail;

import hybridlab.backend.Executable;
import hybridlab.backend.JvmBackend;
import hybridlab.backend.Program;
import hybridlab.kernels.Slice;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Gradient check of an op as the engine compiles it: builds forward + backward steps for
 * {@code L = sum_i r_i y_i} (random fixed weights r), runs them on the JVM backend, and
 * compares every analytic input gradient with central differences {@code (L(x+h) - L(x-h)) / 2h}
 * whose loss sums and quotients are taken in float64.
 */
public final class GradCheck {
    private final Random rng;
    private final Inputs inputs = new Inputs();
    private final Map<String, Param> named = new LinkedHashMap<>();
    private final Map<String, Float> scales = new LinkedHashMap<>();
    private double h = 1e-2, atol = 2e-3, rtol = 2e-2;
    private int probes = 24;

    /** Holds the op's inputs as parameters, so each has a gradient slot. */
    static final class Inputs extends Module {
        Param add(String name, int[] shape) {
            return param(name, Init.ZEROS, true, shape);
        }

        <M extends Module> M addModule(String name, M m) {
            return child(name, m);
        }
    }

    public GradCheck(long seed) {
        this.rng = new Random(seed);
    }

    /** A random N(0, 1) input of the given shape that receives a gradient. */
    public GradCheck input(String name, int... shape) {
        return input(name, 1f, shape);
    }

    public GradCheck input(String name, float scale, int... shape) {
        named.put(name, inputs.add(name, shape));
        scales.put(name, scale);
        return this;
    }

    /** A layer whose parameters are checked too (they are randomised like inputs). */
    public <M extends Module> M module(String name, M m) {
        return inputs.addModule(name, m);
    }

    public GradCheck step(double h) {
        this.h = h;
        return this;
    }

    public GradCheck tolerance(double atol, double rtol) {
        this.atol = atol;
        this.rtol = rtol;
        return this;
    }

    public GradCheck probes(int n) {
        this.probes = n;
        return this;
    }

    /** Everything the check needs after compiling. */
    record Built(Executable exec, Tensor out, Slice seed, ParamStore store) {
    }

    /** Runs the check; {@code op} builds the output from the named input tensors. */
    public void check(BiFunction<Graph, Map<String, Tensor>, Tensor> op) {
        ParamStore store = new ParamStore(inputs);
        for (Param p : store.byName().values()) {
            float s = scales.getOrDefault(p.name(), 1f);
            float[] d = p.data().f();
            if (p.kind() == Param.Kind.STATE) {
                continue;
            }
            for (int i = 0; i < p.size(); i++) {
                d[p.data().offset() + i] = (float) rng.nextGaussian() * s;
            }
        }
        Graph g = new Graph(store, Graph.Mode.TRAIN, 1);
        Map<String, Tensor> ts = new LinkedHashMap<>();
        named.forEach((k, p) -> ts.put(k, g.param(p)));
        Tensor y = op.apply(g, ts);
        Slice seed = g.grad(y).slice();
        g.emitBackward();
        Program prog = new Program("gradcheck", g.steps(), Set.of(), Set.of());
        try (JvmBackend backend = new JvmBackend(2)) {
            Executable exec = backend.compile(prog);
            double[] r = new double[y.size()];
            for (int i = 0; i < r.length; i++) {
                r[i] = rng.nextGaussian();
            }
            float[] sd = seed.f();
            for (int i = 0; i < r.length; i++) {
                sd[seed.offset() + i] = (float) r[i];
            }
            exec.run();
            Map<Param, float[]> grads = new LinkedHashMap<>();
            for (Param p : store.byName().values()) {
                if (p.trainable()) {
                    float[] a = new float[p.size()];
                    System.arraycopy(p.grad().f(), p.grad().offset(), a, 0, p.size());
                    grads.put(p, a);
                }
            }
            List<String> failures = new ArrayList<>();
            int checked = 0;
            for (Map.Entry<Param, float[]> e : grads.entrySet()) {
                Param p = e.getKey();
                float[] analytic = e.getValue();
                float[] data = p.data().f();
                int n = p.size();
                for (int probe = 0; probe < Math.min(probes, n); probe++) {
                    int i = n <= probes ? probe : rng.nextInt(n);
                    int at = p.data().offset() + i;
                    float x0 = data[at];
                    data[at] = (float) (x0 + h);
                    double up = loss(exec, y, r, seed);
                    data[at] = (float) (x0 - h);
                    double down = loss(exec, y, r, seed);
                    data[at] = x0;
                    double step = ((double) (float) (x0 + h) - (double) (float) (x0 - h));
                    double numeric = (up - down) / step;
                    double a = analytic[i];
                    checked++;
                    if (Math.abs(numeric - a) > atol + rtol * Math.max(Math.abs(numeric), Math.abs(a))) {
                        failures.add(String.format("%s[%d]: analytic %.6g, numeric %.6g", p.name(), i, a, numeric));
                    }
                }
            }
            if (!failures.isEmpty()) {
                fail(failures.size() + " of " + checked + " gradient probes off:\n" + String.join("\n", failures));
            }
            if (checked == 0) {
                fail("nothing was checked");
            }
        }
    }

    private static double loss(Executable exec, Tensor y, double[] r, Slice seed) {
        float[] sd = seed.f();
        for (int i = 0; i < r.length; i++) {
            sd[seed.offset() + i] = (float) r[i];
        }
        exec.run();
        float[] d = y.data().f();
        double l = 0;
        for (int i = 0; i < r.length; i++) {
            l += r[i] * d[y.data().offset() + i];
        }
        return l;
    }
}
