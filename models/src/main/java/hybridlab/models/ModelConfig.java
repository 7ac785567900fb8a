package hybridlab.models;

import hybridlab.nn.Model;

/** The configuration record of one model family; builds a fresh model. */
public interface ModelConfig {
    /** Family name as used in messages: coatnet, coat, vitae. */
    String family();

    Model build();

    /** This config with the run's ablation knobs applied; knobs that do not apply to the family are errors. */
    ModelConfig with(Knobs knobs);

    /** Input channels the model expects. */
    int inChannels();

    /** Side of the square input images the model expects. */
    int imageSize();

    /** Classes the model's head predicts. */
    int classes();

    /** This config for images of {@code inChannels} channels and {@code classes} classes (the same size). */
    ModelConfig withData(int inChannels, int classes);

    /**
     * This config with every setting the model cannot use fixed at one value (a CoAtNet fusion
     * mode without attention stages), so that two configs of the same computation are equal.
     */
    default ModelConfig canonical() {
        return this;
    }
}
