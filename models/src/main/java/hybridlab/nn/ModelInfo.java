package hybridlab.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Parameters and forward FLOPs of a model for one image, in total and per top-level part. */
public record ModelInfo(long params, long macs, int[] inputShape, List<Layer> layers) {

    /** One row of the layer table. */
    public record Layer(String name, int[] outShape, long params, long macs) {
    }

    /** Forward FLOPs per image: two per multiply-add. */
    public long flops() {
        return 2 * macs;
    }

    public static ModelInfo of(Model model) {
        ParamStore store = new ParamStore(model);
        Graph g = new Graph(store, Graph.Mode.EVAL, 1);
        int[] in = model.inputShape();
        model.forward(g, g.input(1, in[0], in[1], in[2]));
        List<hybridlab.kernels.Step> steps = g.steps();
        List<Layer> layers = new ArrayList<>();
        for (Graph.Scope s : g.scopes()) {
            long p = 0;
            for (Map.Entry<String, Param> e : store.byName().entrySet()) {
                if (e.getValue().trainable() && (e.getKey().startsWith(s.name() + "."))) {
                    p += e.getValue().size();
                }
            }
            layers.add(new Layer(s.name(), s.outShape(), p, macs(steps.subList(s.from(), s.to()))));
        }
        return new ModelInfo(store.count(), macs(steps), in, layers);
    }

    /** Multiply-accumulates of forward steps, each counted by its step ({@link hybridlab.kernels.Step#macs}). */
    static long macs(List<hybridlab.kernels.Step> steps) {
        long n = 0;
        for (hybridlab.kernels.Step s : steps) {
            n += s.macs();
        }
        return n;
    }
}
