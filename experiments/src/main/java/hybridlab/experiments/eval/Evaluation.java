package hybridlab.experiments.eval;

import hybridlab.backend.Backend;
import hybridlab.backend.Executable;
import hybridlab.experiments.data.Batches;
import hybridlab.experiments.data.Dataset;
import hybridlab.kernels.Arena;
import hybridlab.models.ModelConfig;
import hybridlab.nn.Model;
import hybridlab.nn.ParamStore;
import hybridlab.nn.Plan;
import hybridlab.nn.Safetensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A saved model evaluated on one split, as the trainer evaluates it (same plan, batches and
 * sums, so loss and accuracy equal the run record's): mean loss, accuracy, the confusion matrix
 * ({@code confusion[label][predicted]}, the prediction being the first largest logit, as the
 * accuracy counts it), and inference images/s (the first batch, compilation and warm-up, left out).
 */
public record Evaluation(String split, int images, double loss, double accuracy, long[][] confusion, List<String> classNames,
                         double inferImgS) {

    /** Loads {@code weights} into a model of {@code mc} and evaluates it on {@code d} in batches of {@code batch}. */
    public static Evaluation of(ModelConfig mc, Path weights, Dataset d, String split, List<String> classNames, int batch,
                                Backend backend) throws IOException {
        Model model = mc.build();
        ParamStore store = new ParamStore(model);
        Safetensors.load(store, weights);
        Plan p = Plan.evaluation(model, store, batch);
        int classes = model.classes();
        long[][] confusion = new long[classes][classes];
        double loss = 0, hits = 0;
        long timedNanos = 0, timedImages = 0;
        try (Executable x = backend.compile(p.program())) {
            for (Arena a : store.arenas()) {
                x.upload(a);
            }
            int n = d.count();
            int[] order = new int[n];
            java.util.Arrays.setAll(order, i -> i);
            float[] in = p.input().data().f();
            Arena logitsArena = p.logits().data().arena();
            for (int from = 0; from < n; from += batch) {
                long t = System.nanoTime();
                int count = Math.min(batch, n - from);
                Batches.fill(d, order, from, count, batch, in, p.input().data().offset(), p.labels().i(), p.labels().offset(), 0,
                        false, 0, 0);
                p.setStep(0f, null, 0, 0);
                x.run();
                x.download(logitsArena);
                loss += p.lossSum();
                hits += p.hits();
                if (from > 0) {
                    timedNanos += System.nanoTime() - t;
                    timedImages += count;
                }
                float[] l = p.logits().data().f();
                int off = p.logits().data().offset();
                for (int i = 0; i < count; i++) {
                    int best = 0;
                    for (int c = 1; c < classes; c++) {
                        if (l[off + i * classes + c] > l[off + i * classes + best]) {
                            best = c;
                        }
                    }
                    confusion[d.labels()[order[from + i]]][best]++;
                }
            }
            return new Evaluation(split, n, loss / n, hits / n, confusion, classNames,
                    timedNanos > 0 ? timedImages / (timedNanos / 1e9) : 0);
        }
    }

    /** Accuracy on the images of class {@code c} (NaN when the split has none). */
    public double classAccuracy(int c) {
        long total = 0;
        for (long v : confusion[c]) {
            total += v;
        }
        return total == 0 ? Double.NaN : (double) confusion[c][c] / total;
    }

    public long classImages(int c) {
        long total = 0;
        for (long v : confusion[c]) {
            total += v;
        }
        return total;
    }
}
