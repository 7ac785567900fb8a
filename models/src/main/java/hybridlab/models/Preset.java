package hybridlab.models;

/**
 * A named model configuration. {@code paper} is the published (params, GFLOPs) for presets that
 * reproduce a paper configuration, null otherwise.
 */
public record Preset(String name, String description, ModelConfig config, PaperFigures paper) {
    public record PaperFigures(double paramsM, double gflops, String source) {
    }
}
