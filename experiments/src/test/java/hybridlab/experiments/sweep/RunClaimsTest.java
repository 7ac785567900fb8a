package hybridlab.experiments.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Claims on runs: one owner at a time, taken over when the owner is gone, kept fresh while it lives. */
class RunClaimsTest {
    @TempDir
    Path dir;

    private static final Duration HOUR = Duration.ofHours(1);

    @Test
    void aLiveClaimKeepsOthersOutUntilItIsReleased() throws Exception {
        try (RunClaims a = new RunClaims(dir, HOUR, HOUR); RunClaims b = new RunClaims(dir, HOUR, HOUR)) {
            Optional<RunClaims.Claim> first = a.tryClaim("r1");
            assertTrue(first.isPresent());
            assertFalse(b.tryClaim("r1").isPresent(), "held by a live process");
            assertEquals(Optional.of(RunClaims.Owner.self()), b.holder("r1"));
            assertTrue(b.tryClaim("r2").isPresent(), "another run is free");
            first.get().close();
            assertFalse(Files.exists(a.file("r1")));
            assertTrue(b.tryClaim("r1").isPresent(), "free again once released");
        }
        assertFalse(Files.exists(dir.resolve("r1" + RunClaims.SUFFIX)) || Files.exists(dir.resolve("r2" + RunClaims.SUFFIX)),
                "closing releases what is still held");
    }

    @Test
    void theClaimOfAProcessOfThisHostThatEndedIsTakenOverAtOnce() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        assertTrue(gone.waitFor(30, TimeUnit.SECONDS));
        RunClaims.Owner self = RunClaims.Owner.self();
        Files.writeString(dir.resolve("r" + RunClaims.SUFFIX), new RunClaims.Owner(self.host(), gone.pid(), 12345).text());
        try (RunClaims c = new RunClaims(dir, HOUR, HOUR)) {
            assertTrue(c.tryClaim("r").isPresent());
            assertEquals(Optional.of(self), c.holder("r"));
        }
    }

    @Test
    void aProcessThatJudgedAClaimStaleAfterAnotherTookItOverPutsTheNewClaimBack() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        assertTrue(gone.waitFor(30, TimeUnit.SECONDS));
        Path f = dir.resolve("r" + RunClaims.SUFFIX);
        String dead = new RunClaims.Owner(RunClaims.Owner.self().host(), gone.pid(), 12345).text();
        Files.writeString(f, dead);
        try (RunClaims a = new RunClaims(dir, HOUR, HOUR); RunClaims b = new RunClaims(dir, HOUR, HOUR)) {
            // b read the dead owner's claim and judged it stale; before b renames it, a takes it over
            assertTrue(a.tryClaim("r").isPresent());
            assertFalse(b.setAside(f, dead), "what b would rename is a's live claim");
            assertEquals(RunClaims.Owner.self().text(), Files.readString(f), "a's claim is back in place");
            assertFalse(b.tryClaim("r").isPresent());
            try (var files = Files.list(dir)) {
                assertEquals(1, files.count(), "nothing left aside");
            }
        }
    }

    @Test
    void theClaimOfAnotherHostExpiresWhenItsHeartbeatStops() throws Exception {
        Path f = dir.resolve("r" + RunClaims.SUFFIX);
        Files.writeString(f, new RunClaims.Owner("some-other-node", 4242, 1).text());
        try (RunClaims c = new RunClaims(dir, HOUR, Duration.ofMinutes(5))) {
            assertFalse(c.tryClaim("r").isPresent(), "touched just now: its owner may be alive");
            Files.setLastModifiedTime(f, FileTime.fromMillis(System.currentTimeMillis() - Duration.ofMinutes(6).toMillis()));
            assertTrue(c.tryClaim("r").isPresent(), "not touched for longer than the ttl");
        }
        Files.writeString(f, ""); // a claim cut short before its owner was written
        try (RunClaims c = new RunClaims(dir, HOUR, Duration.ofMinutes(5))) {
            assertFalse(c.tryClaim("r").isPresent());
            Files.setLastModifiedTime(f, FileTime.fromMillis(0));
            assertTrue(c.tryClaim("r").isPresent());
        }
    }

    @Test
    void theHeartbeatKeepsAHeldClaimFresh() throws Exception {
        try (RunClaims c = new RunClaims(dir, Duration.ofMillis(50), Duration.ofMinutes(5))) {
            assertTrue(c.tryClaim("r").isPresent());
            Path f = c.file("r");
            Files.setLastModifiedTime(f, FileTime.fromMillis(0));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (Files.getLastModifiedTime(f).toMillis() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(System.currentTimeMillis() - Files.getLastModifiedTime(f).toMillis() < Duration.ofMinutes(1).toMillis(),
                    "touched again by the heartbeat");
        }
    }
}
