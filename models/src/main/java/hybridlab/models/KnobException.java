package hybridlab.models;

/** A knob value the model cannot take, with the knob's name (as in {@link Knobs#setNames()}) for messages. */
public final class KnobException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String knob;

    public KnobException(String knob, String problem) {
        super(knob + ": " + problem);
        this.knob = knob;
    }

    public String knob() {
        return knob;
    }

    /** The problem without the knob's name. */
    public String problem() {
        return getMessage().substring(knob.length() + 2);
    }
}
