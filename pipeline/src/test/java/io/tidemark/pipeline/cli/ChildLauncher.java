package io.tidemark.pipeline.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The launcher in a child JVM with this JVM's class path and JVM flags (Chronicle's and Agrona's), its crash log in
 * the test directory, and its output lines readable by the test (protocol lines: {@code READY},
 * {@code CHECKPOINT_COMPLETED id=N}).
 */
final class ChildLauncher implements AutoCloseable {
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuffer transcript = new StringBuffer();

    private ChildLauncher(Process process) {
        this.process = process;
        Thread reader = new Thread(this::pump, "child-output");
        reader.setDaemon(true);
        reader.start();
    }

    static ChildLauncher start(Path errorFileDir, List<String> args) throws IOException {
        List<String> command = io.tidemark.testing.ChildJvm.command(
                errorFileDir, io.tidemark.testing.ChildJvm.SMALL, Launcher.class.getName(), args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        return new ChildLauncher(process);
    }

    private void pump() {
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                transcript.append(line).append('\n');
                lines.add(line);
            }
        } catch (IOException e) {
            // the child was killed
        }
    }

    /**
     * The control port the child printed ({@code CONTROL port=N}), once it also reported its first completed
     * checkpoint, so savepoint and stop requests find a running job with state.
     *
     * @throws AssertionError with the transcript if either line does not come within {@code timeoutMillis} each
     */
    int awaitControlPortAndFirstCheckpoint(long timeoutMillis) throws InterruptedException {
        String control = nextLine("CONTROL port=", timeoutMillis);
        if (control == null || !awaitLine("CHECKPOINT_COMPLETED", timeoutMillis)) {
            throw new AssertionError("child did not report its port and a checkpoint:\n" + transcript());
        }
        return Integer.parseInt(control.substring("CONTROL port=".length()).trim());
    }

    /** Waits for a line starting with {@code prefix}; false if the child exited or the time ran out first. */
    boolean awaitLine(String prefix, long timeoutMillis) throws InterruptedException {
        return nextLine(prefix, timeoutMillis) != null;
    }

    /** The next line starting with {@code prefix}, or {@code null} if the child exited or the time ran out first. */
    String nextLine(String prefix, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(20, TimeUnit.MILLISECONDS);
            if (line != null && line.startsWith(prefix)) {
                return line;
            }
            if (line == null && !process.isAlive() && lines.isEmpty()) {
                return null;
            }
        }
        return null;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    int waitFor(long timeoutMillis) throws InterruptedException {
        if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("child did not finish in " + timeoutMillis + " ms:\n" + transcript);
        }
        return process.exitValue();
    }

    String transcript() {
        return transcript.toString();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
