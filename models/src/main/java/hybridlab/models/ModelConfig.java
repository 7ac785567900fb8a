package hybridlab.models;

import hybridlab.nn.Model;

/** The configuration record of one model family; builds a fresh model. */
public interface ModelConfig {
    /** Family name as used in messages: coatnet, coat, vitae. */
    String family();

    Model build();

    /** This config with the run's ablation knobs applied; knobs that do not apply to the family are errors. */
    ModelConfig with(Knobs knobs);
}
