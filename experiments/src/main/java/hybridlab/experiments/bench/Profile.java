package hybridlab.experiments.bench;

import hybridlab.backend.Program;
import hybridlab.kernels.Step;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Time per kernel type and the slowest single steps of a profiled program. */
public final class Profile {
    private Profile() {
    }

    public static void print(Program p, long[] nanos, int runs) {
        if (nanos.length == 0) {
            return;
        }
        Map<String, long[]> byKind = new LinkedHashMap<>();
        long total = 0;
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < nanos.length; i++) {
            Step s = p.steps().get(i);
            String kind = s.getClass().getName().replaceFirst(".*\\.", "").replace('$', '.');
            long[] v = byKind.computeIfAbsent(kind, k -> new long[2]);
            v[0] += nanos[i];
            v[1]++;
            total += nanos[i];
            idx.add(i);
        }
        System.out.printf(" %.2f ms over %d steps%n", total / 1e6 / runs, nanos.length);
        byKind.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0])).forEach(e ->
                System.out.printf("  %-30s %8.2f ms %5.1f%%  (%d steps)%n", e.getKey(), e.getValue()[0] / 1e6 / runs,
                        100.0 * e.getValue()[0] / Math.max(1, (double) finalTotal(nanos)), e.getValue()[1]));
        idx.sort((a, b) -> Long.compare(nanos[b], nanos[a]));
        System.out.println("slowest steps:");
        for (int i = 0; i < Math.min(Integer.getInteger("hybridlab.profileTop", 15), idx.size()); i++) {
            int k = idx.get(i);
            System.out.printf("  %8.2f ms  #%d %s%n", nanos[k] / 1e6 / runs, k, p.steps().get(k).label());
        }
    }

    private static long finalTotal(long[] nanos) {
        long t = 0;
        for (long n : nanos) {
            t += n;
        }
        return t;
    }
}
