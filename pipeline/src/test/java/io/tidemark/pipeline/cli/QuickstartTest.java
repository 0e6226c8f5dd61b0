package io.tidemark.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.testing.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docs/quickstart.md} as written: its files (the code blocks whose info string names a {@code file=}) become a
 * project in an empty directory, Maven builds it offline in a child process, and the page's
 * {@code tidemark run --jar} line runs in a child JVM with the launcher's class path; the committed output must hold
 * one line per click, exactly once, and the lines the page shows. The Tidemark artifacts come from this build
 * ({@link BuildOutputRepository}) in a throwaway local repository; third-party artifacts come from the local
 * repository of the outer build (a {@code file://} mirror, read only, so the shared repository is never written).
 */
class QuickstartTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void theQuickstartBuildsAndRunsAsWritten() throws Exception {
        Path root = checkoutRoot();
        List<Block> blocks = Block.read(root.resolve("docs/quickstart.md"));
        Path project = Files.createDirectories(dir.resolve("clicks"));
        Map<String, String> files = new LinkedHashMap<>();
        for (Block block : blocks) {
            String file = block.attribute("file");
            if (file != null) {
                files.put(file, block.text());
                Path path = project.resolve(file);
                Files.createDirectories(path.getParent());
                Files.writeString(path, block.text());
            }
        }
        assertThat(files).containsKeys("pom.xml", "src/main/java/com/example/clicks/ClickCounts.java");

        Path repository = dir.resolve("repository");
        assertThat(BuildOutputRepository.write(root, repository))
                .contains("tidemark-parent", "tidemark-core", "tidemark-pipeline");
        mavenPackage(project, repository);

        List<String> run = runLine(blocks);
        Path transcript = dir.resolve("launcher.log");
        Process launcher = new ProcessBuilder(ChildJvm.command(dir, ChildJvm.SMALL, Launcher.class.getName(), run))
                .directory(project.toFile())
                .redirectErrorStream(true)
                .redirectOutput(transcript.toFile())
                .start();
        int code = waitFor(launcher, transcript);
        String output = Files.readString(transcript);
        assertThat(code).as(output).isEqualTo(Launcher.EXIT_OK);
        assertThat(output).contains("READY attempt=0 restored=none", "SUMMARY");

        List<String> lines = committedLines(project.resolve(option(run, "--output")));
        long clicks = Long.parseLong(option(run, "--input"));
        assertThat(lines).as("one line per click").hasSize((int) clicks).doesNotHaveDuplicates();
        Block expected = blocks.stream()
                .filter(b -> b.info().equals("text output"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no ```text output block in docs/quickstart.md"));
        assertThat(lines).containsAll(expected.text().lines().toList());
    }

    /** {@code mvn -o package} in {@code project}, resolving Tidemark from {@code repository}, the rest from the cache. */
    private void mavenPackage(Path project, Path repository) throws IOException, InterruptedException {
        String cache = System.getProperty(
                "tidemark.test.localRepository",
                Path.of(System.getProperty("user.home"), ".m2", "repository").toString());
        Path settings = Files.writeString(
                dir.resolve("settings.xml"),
                "<settings><mirrors><mirror><id>build-cache</id><mirrorOf>*</mirrorOf><url>"
                        + Path.of(cache).toUri() + "</url></mirror></mirrors></settings>\n");
        String mavenHome = System.getProperty("tidemark.test.mavenHome", "");
        String mvn =
                mavenHome.isEmpty() ? "mvn" : Path.of(mavenHome, "bin", "mvn").toString();
        Path log = dir.resolve("maven.log");
        Process maven = new ProcessBuilder(
                        mvn,
                        "-B",
                        "-o",
                        "-Dstyle.color=never",
                        "-Daether.offline.protocols=file",
                        "-s",
                        settings.toString(),
                        "-Dmaven.repo.local=" + repository,
                        "package")
                .directory(project.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        int code = waitFor(maven, log);
        assertThat(code).as("mvn package:\n%s", Files.readString(log)).isZero();
        assertThat(project.resolve("target/app.jar")).isRegularFile();
    }

    private static int waitFor(Process process, Path log) throws IOException, InterruptedException {
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            throw new AssertionError("child process did not finish in 3 minutes:\n" + Files.readString(log));
        }
        return process.exitValue();
    }

    /** The launcher arguments of the page's {@code tidemark run --jar} line (the words after {@code tidemark}). */
    private static List<String> runLine(List<Block> blocks) {
        for (Block block : blocks) {
            for (String line : block.text().lines().toList()) {
                int at = line.indexOf("tidemark run --jar");
                if (block.info().equals("sh") && at >= 0) {
                    String[] words = line.substring(at).trim().split("\\s+");
                    return List.of(Arrays.copyOfRange(words, 1, words.length));
                }
            }
        }
        throw new AssertionError("no `tidemark run --jar` line in a ```sh block of docs/quickstart.md");
    }

    private static String option(List<String> args, String name) {
        int at = args.indexOf(name);
        assertThat(at).as("%s in %s", name, args).isNotNegative().isLessThan(args.size() - 1);
        return args.get(at + 1);
    }

    private static List<String> committedLines(Path output) throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> parts = Files.list(output)) {
            for (Path part : parts.filter(p -> p.getFileName().toString().startsWith("part-"))
                    .toList()) {
                lines.addAll(Files.readAllLines(part));
            }
        }
        return lines;
    }

    private static Path checkoutRoot() {
        Path path = Path.of("").toAbsolutePath();
        while (path != null && !Files.isRegularFile(path.resolve("docs/quickstart.md"))) {
            path = path.getParent();
        }
        if (path == null) {
            throw new AssertionError(
                    "docs/quickstart.md not found above " + Path.of("").toAbsolutePath());
        }
        return path;
    }

    /** A fenced code block of a Markdown page: its info string ({@code java file=...}) and its text. */
    record Block(String info, String text) {
        static List<Block> read(Path page) throws IOException {
            List<Block> blocks = new ArrayList<>();
            String info = null;
            StringBuilder text = new StringBuilder();
            for (String line : Files.readAllLines(page)) {
                if (info == null && line.startsWith("```")) {
                    info = line.substring(3).trim();
                    text.setLength(0);
                } else if (info != null && line.equals("```")) {
                    blocks.add(new Block(info, text.toString()));
                    info = null;
                } else if (info != null) {
                    text.append(line).append('\n');
                }
            }
            return blocks;
        }

        /** The value of {@code name=value} in the info string, or null. */
        String attribute(String name) {
            for (String word : info.split("\\s+")) {
                if (word.startsWith(name + "=")) {
                    return word.substring(name.length() + 1);
                }
            }
            return null;
        }
    }
}
