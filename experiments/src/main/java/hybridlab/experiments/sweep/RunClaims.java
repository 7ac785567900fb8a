package hybridlab.experiments.sweep;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Claims on the runs of a shared output folder, so that the processes writing to it (two
 * {@code run}s, the tasks of a job array, a job submitted twice) never train one run twice. A
 * claim is the file {@code runs/<run-id>.claim}, created atomically: the process that creates it
 * owns the run. It names its owner (host, pid, start time) and is kept fresh by a heartbeat that
 * touches it every {@code heartbeat}. A claim is stale when its owner is a process of this host
 * that no longer runs, or when it has not been touched for {@code ttl} (an owner on another host
 * that died); the next process takes a stale claim over by renaming it aside and then claims the
 * run afresh (if the claim it renamed is no longer the stale one it read, another process took it
 * over first, and it puts that claim back). Claims still held when the JVM exits normally or
 * is terminated (SIGTERM, as {@code scancel} sends) are removed.
 */
final class RunClaims implements AutoCloseable {
    static final String SUFFIX = ".claim";
    static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(30), DEFAULT_TTL = Duration.ofMinutes(5);

    /** A process: where it runs and which one it is (pids are reused, start times rarely). */
    record Owner(String host, long pid, long startedMillis) {
        static Owner self() {
            ProcessHandle me = ProcessHandle.current();
            return new Owner(hostName(), me.pid(), me.info().startInstant().map(Instant::toEpochMilli).orElse(0L));
        }

        String text() {
            return host + " " + pid + " " + startedMillis + "\n";
        }

        static Owner parse(String text) {
            String[] p = text.trim().split(" ");
            if (p.length != 3) {
                return null;
            }
            try {
                return new Owner(p[0], Long.parseLong(p[1]), Long.parseLong(p[2]));
            } catch (NumberFormatException e) {
                return null;
            }
        }

        /** Whether this owner is a process of this host that has ended. */
        boolean deadHere() {
            if (!host.equals(hostName())) {
                return false;
            }
            Optional<ProcessHandle> p = ProcessHandle.of(pid);
            return p.isEmpty() || !p.get().isAlive()
                    || p.get().info().startInstant().map(i -> i.toEpochMilli() != startedMillis && startedMillis != 0).orElse(false);
        }

        @Override
        public String toString() {
            return "process " + pid + " on " + host;
        }
    }

    private final Path runs;
    private final Duration ttl;
    private final Owner self = Owner.self();
    private final Set<Path> held = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService heartbeat;
    private final Thread onExit = new Thread(this::releaseAll, "release-run-claims");

    RunClaims(Path runs, Duration heartbeatEvery, Duration ttl) {
        this.runs = runs;
        this.ttl = ttl;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "run-claim-heartbeat");
            t.setDaemon(true);
            return t;
        });
        heartbeat.scheduleAtFixedRate(this::touchAll, heartbeatEvery.toMillis(), heartbeatEvery.toMillis(), TimeUnit.MILLISECONDS);
        Runtime.getRuntime().addShutdownHook(onExit);
    }

    Path file(String runId) {
        return runs.resolve(runId + SUFFIX);
    }

    /** Claims {@code runId} for this process, taking a stale claim over; empty while another live process holds it. */
    Optional<Claim> tryClaim(String runId) throws IOException {
        Path f = file(runId);
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                Files.write(f, self.text().getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                held.add(f);
                return Optional.of(new Claim(f));
            } catch (FileAlreadyExistsException e) {
                Optional<String> stale = stale(f);
                if (stale.isEmpty() || !setAside(f, stale.get())) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** Who holds {@code runId}'s claim, for messages; empty when nobody does. */
    Optional<Owner> holder(String runId) {
        try {
            return Optional.ofNullable(Owner.parse(Files.readString(file(runId))));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The text of {@code f} if it is a stale claim ("" when it is already gone); empty while its owner holds it. */
    private Optional<String> stale(Path f) throws IOException {
        try {
            String text = Files.readString(f);
            Owner o = Owner.parse(text);
            FileTime touched = Files.getLastModifiedTime(f);
            boolean expired = System.currentTimeMillis() - touched.toMillis() > ttl.toMillis();
            // an unreadable owner line is a claim cut short by a crash: stale once its heartbeat would have come
            return expired || o != null && o.deadHere() ? Optional.of(text) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.of(""); // released between our attempt and this look: try again
        }
    }

    /**
     * Renames the stale claim {@code judged} out of the way; true if this process did it (or it was
     * already gone). Another process may have taken the same stale claim over first and claimed the
     * run afresh: then what was renamed is that live claim, and it is linked back (a link, unlike a
     * rename, never replaces a file) and the run left to its new owner.
     */
    boolean setAside(Path f, String judged) throws IOException {
        Path aside = f.resolveSibling("." + f.getFileName() + ".stale-" + UUID.randomUUID());
        try {
            Files.move(f, aside, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return true;
        }
        try {
            if (!Files.readString(aside).equals(judged)) {
                try {
                    Files.createLink(f, aside);
                } catch (FileAlreadyExistsException e) {
                    // a third process claimed the run meanwhile: it owns it now
                } catch (UnsupportedOperationException | IOException noLinks) {
                    Files.move(aside, f); // a file system without hard links: a rename that refuses an existing file
                }
                return false;
            }
            return true;
        } finally {
            Files.deleteIfExists(aside);
        }
    }

    private void touchAll() {
        FileTime now = FileTime.fromMillis(System.currentTimeMillis());
        for (Path f : held) {
            try {
                Files.setLastModifiedTime(f, now);
            } catch (IOException e) {
                // gone (taken over after a long pause, or the folder was removed): the record write decides
            }
        }
    }

    private void releaseAll() {
        for (Path f : held) {
            release(f);
        }
    }

    private void release(Path f) {
        held.remove(f);
        try {
            if (self.equals(Owner.parse(Files.readString(f)))) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            // already gone
        }
    }

    @Override
    public void close() {
        heartbeat.shutdownNow();
        releaseAll();
        try {
            Runtime.getRuntime().removeShutdownHook(onExit);
        } catch (IllegalStateException e) {
            // the JVM is exiting: the hook runs anyway
        }
    }

    private static final String HOST = lookUpHostName();

    private static String hostName() {
        return HOST;
    }

    private static String lookUpHostName() {
        try {
            return InetAddress.getLocalHost().getHostName().replace(' ', '_');
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** One claimed run; releasing it removes the claim file if this process still owns it. */
    final class Claim implements AutoCloseable {
        private final Path file;

        private Claim(Path file) {
            this.file = file;
        }

        @Override
        public void close() {
            release(file);
        }
    }
}
