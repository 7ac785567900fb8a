package hybridlab.backend.tornado;

/**
 * The name of one device task: part {@code part} of program step {@code step}. Every task name
 * comes from here, so a task maps back to its step (profiles) and no name is written twice.
 */
record TaskId(int step, int part) {
    /** Steps at or above this index are the backend's own tasks (transfers), not program steps. */
    static final int BACKEND = 1 << 30;

    String name() {
        return step >= BACKEND ? "io" + (step - BACKEND) + "_" + part : "s" + step + "_" + part;
    }

    /** Parses a name written by {@link #name()}; null for anything else. */
    static TaskId parse(String name) {
        int u = name.indexOf('_');
        if (u < 0) {
            return null;
        }
        try {
            int part = Integer.parseInt(name.substring(u + 1));
            if (name.startsWith("s")) {
                return new TaskId(Integer.parseInt(name.substring(1, u)), part);
            }
            if (name.startsWith("io")) {
                return new TaskId(BACKEND + Integer.parseInt(name.substring(2, u)), part);
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return null;
    }

    /** A task of a graph with the geometry it asked for. */
    record Launched(String name, Launch launch) {
    }

    /**
     * Hands out the ids of one step's tasks in order; each id is taken with the task's
     * {@link Launch}, recorded in the graph's list, so no task goes without an explicit grid.
     */
    static final class Parts {
        private final int step;
        private final java.util.List<Launched> sink;
        private int next;

        Parts(int step, java.util.List<Launched> sink) {
            this.step = step;
            this.sink = sink;
        }

        String next(Launch launch) {
            String name = new TaskId(step, next++).name();
            sink.add(new Launched(name, launch));
            return name;
        }

        int count() {
            return next;
        }
    }
}
