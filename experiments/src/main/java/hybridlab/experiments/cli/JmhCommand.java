package hybridlab.experiments.cli;

import hybridlab.experiments.bench.TorchComparison;
import hybridlab.experiments.config.ConfigException;
import hybridlab.experiments.bench.jmh.GemmBenchmark;
import hybridlab.experiments.bench.jmh.LayerKernelBenchmark;
import hybridlab.experiments.bench.jmh.PeakBenchmark;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code experiments jmh}: the JMH kernel benchmarks, summarised as GFLOP/s beside the machine's
 * measured FMA peak and (when PyTorch is installed) its OpenBLAS SGEMM ceiling, all in one run.
 */
@Command(name = "jmh", mixinStandardHelpOptions = true,
        description = "Run the JMH kernel benchmarks (GEMM, convs, attention, norms, FMA peak) and summarise them.")
public final class JmhCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "REGEX", description = "benchmarks to run (default: all)")
    String include = "hybridlab.experiments.bench.jmh.*";

    @Option(names = "--threads", description = "threads of the kernel benchmarks (default 2)")
    int threads = 2;

    @Option(names = "--quick", description = "fewer, shorter iterations (noisier)")
    boolean quick;

    @Override
    public Integer call() throws Exception {
        try {
            Pattern.compile(include);
        } catch (PatternSyntaxException e) {
            throw new ConfigException("REGEX: '" + include + "' is not a regular expression: " + e.getDescription());
        }
        if (threads < 1) {
            throw new ConfigException("--threads: " + threads + " is not an integer >= 1");
        }
        OptionsBuilder o = new OptionsBuilder();
        o.include(include).param("threads", String.valueOf(threads))
                .jvmArgsAppend("--add-modules=jdk.incubator.vector");
        if (quick) {
            o.warmupIterations(2).measurementIterations(3);
        }
        Options opts = o.build();
        Collection<RunResult> results;
        try {
            results = new Runner(opts).run();
        } catch (NoBenchmarksException e) {
            throw new ConfigException("REGEX: '" + include + "' matches no benchmark; they are GemmBenchmark, "
                    + "LayerKernelBenchmark and PeakBenchmark (e.g. 'GemmBenchmark|PeakBenchmark')");
        }
        double peak1 = 0, peakAll = 0;
        List<String[]> rows = new ArrayList<>();
        for (RunResult r : results) {
            String bench = r.getParams().getBenchmark();
            double opsPerS = r.getPrimaryResult().getScore();
            if (bench.endsWith("PeakBenchmark.oneCore")) {
                peak1 = opsPerS * PeakBenchmark.FLOPS / 1e9;
            } else if (bench.endsWith("PeakBenchmark.allCores")) {
                peakAll = opsPerS * PeakBenchmark.FLOPS / 1e9;
            } else if (bench.contains("GemmBenchmark")) {
                String shape = r.getParams().getParam("shape");
                rows.add(new String[] {"gemm " + shape, fmt(opsPerS * GemmBenchmark.flops(shape) / 1e9)});
            } else if (bench.contains("LayerKernelBenchmark")) {
                String k = r.getParams().getParam("kernel");
                double f = LayerKernelBenchmark.flops(k);
                rows.add(new String[] {k, f > 0 ? fmt(opsPerS * f / 1e9) : String.format(Locale.ROOT, "%.0f calls/s", opsPerS)});
            }
        }
        StringBuilder why = new StringBuilder();
        double sgemm = TorchComparison.find(why).map(t -> t.sgemm(threads)).orElse(0.0);
        System.out.println();
        System.out.printf(Locale.ROOT, "FMA peak (JVM, Vector API): %.1f GFLOP/s on 1 core, %.1f on all cores%n", peak1, peakAll);
        System.out.println(sgemm > 0 ? String.format(Locale.ROOT, "SGEMM ceiling (PyTorch/BLAS, n=2048, %d threads): %.1f GFLOP/s",
                threads, sgemm) : "SGEMM ceiling not measured: " + why);
        double ref = sgemm > 0 ? sgemm : peakAll;
        for (String[] row : rows) {
            String pct = "";
            if (row[1].endsWith("GFLOP/s") && ref > 0) {
                pct = String.format(Locale.ROOT, "  (%.0f%% of %s)", 100 * Double.parseDouble(row[1].split(" ")[0]) / ref,
                        sgemm > 0 ? "the SGEMM ceiling" : "the FMA peak");
            }
            System.out.printf(Locale.ROOT, "  %-32s %s%s%n", row[0], row[1], pct);
        }
        return 0;
    }

    static String fmt(double gflops) {
        return String.format(Locale.ROOT, "%.1f GFLOP/s", gflops);
    }
}
