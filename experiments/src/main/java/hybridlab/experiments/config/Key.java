package hybridlab.experiments.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a run key on a component of one of {@link RunConfig}'s records: the key's name is the
 * component's name in snake case, its type the component's type; this annotation gives the rest.
 * Everything else (parsing, checks, messages, {@code experiments keys}) is derived from it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Key {
    /** The key's name when it is not the component's name in snake case. */
    String name() default "";

    /** The default, written as YAML; empty: unset (the preset's or the data's own value). */
    String def() default "";

    /** One line for {@code experiments keys}. */
    String help();

    /** Smallest allowed value of a number (inclusive). */
    double min() default Double.NEGATIVE_INFINITY;

    /** Largest allowed value of a number (inclusive). */
    double max() default Double.POSITIVE_INFINITY;

    /** False for keys that never change a run's numbers (threads, where the data lives): they are not part of the run id. */
    boolean changesResults() default true;

    /** Dataset kinds for which a key with {@code changesResults = false} does change them (a folder that is the data). */
    DatasetKind[] changesResultsFor() default {};

    /** The dataset kinds this key applies to (empty: all); elsewhere it changes nothing and is left out of the run id. */
    DatasetKind[] datasets() default {};

    /** An example value for messages, e.g. {@code [1, 2, 3]}; empty: none. */
    String example() default "";
}
