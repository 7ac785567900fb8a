package hybridlab.models;

/**
 * A named model configuration. {@code paper} is the published (params, GFLOPs) for presets that
 * reproduce a paper configuration, null otherwise. A preset that {@code fitsData} (the small
 * ones, made for 32x32 images) takes its input channels and classes from the dataset it trains
 * on; the others have a fixed input.
 */
public record Preset(String name, String description, ModelConfig config, PaperFigures paper, boolean fitsData) {
    /**
     * Published parameters (millions) and FLOPs (billions; these papers count multiply-adds), and
     * why this implementation differs where it does.
     */
    public record PaperFigures(double paramsM, double gflops, String source, String difference) {
        public PaperFigures(double paramsM, double gflops, String source) {
            this(paramsM, gflops, source, null);
        }
    }
}
