package io.tidemark.pipeline.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A throwaway Maven local repository holding the Tidemark artifacts this test JVM runs on, as {@code mvn install}
 * would lay them out, without running Maven and without touching the shared local repository: the parent POM, and
 * per module its POM and a jar of the classes on this JVM's class path (a module's {@code target/classes} is jarred;
 * a module jar of the reactor is copied). So a child Maven build sees exactly the code under test, never a stale
 * install.
 */
final class BuildOutputRepository {
    private static final Pattern ARTIFACT_ID =
            Pattern.compile("</parent>.*?<artifactId>([^<]+)</artifactId>.*?", Pattern.DOTALL);
    private static final Pattern VERSION = Pattern.compile("<version>([^<]+)</version>");

    private BuildOutputRepository() {}

    /**
     * Writes the artifacts of the checkout at {@code root} into {@code repository}.
     *
     * @return the artifact ids written (the parent's included)
     * @throws IOException if a file cannot be read or written
     */
    static List<String> write(Path root, Path repository) throws IOException {
        String parentPom = Files.readString(root.resolve("pom.xml"));
        Matcher version = VERSION.matcher(parentPom);
        if (!version.find()) {
            throw new IllegalStateException("no <version> in " + root.resolve("pom.xml"));
        }
        String v = version.group(1);
        List<String> written = new ArrayList<>();
        install(repository, "tidemark-parent", v, "pom", root.resolve("pom.xml"));
        written.add("tidemark-parent");
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry).toAbsolutePath().normalize();
            Path module = moduleOf(root, path);
            if (module == null) {
                continue;
            }
            Matcher id = ARTIFACT_ID.matcher(Files.readString(module.resolve("pom.xml")));
            if (!id.find()) {
                throw new IllegalStateException("no <artifactId> after <parent> in " + module.resolve("pom.xml"));
            }
            String artifactId = id.group(1);
            install(repository, artifactId, v, "pom", module.resolve("pom.xml"));
            Path jar = artifactDirectory(repository, artifactId, v).resolve(artifactId + "-" + v + ".jar");
            if (Files.isDirectory(path)) {
                TestJars.jar(jar, path, Map.of(), Map.of());
            } else {
                Files.copy(path, jar);
            }
            written.add(artifactId);
        }
        return written;
    }

    /** The module directory of a main class-path entry of the checkout ({@code M/target/classes}, {@code M/target/M.jar}). */
    private static Path moduleOf(Path root, Path entry) {
        if (!entry.startsWith(root)
                || entry.getParent() == null
                || entry.getParent().getParent() == null) {
            return null;
        }
        Path target = entry.getParent();
        String name = entry.getFileName().toString();
        boolean mainJar = name.endsWith(".jar") && !name.endsWith("-tests.jar");
        if (!target.getFileName().toString().equals("target") || !(name.equals("classes") || mainJar)) {
            return null;
        }
        Path module = target.getParent();
        return Files.isRegularFile(module.resolve("pom.xml")) ? module : null;
    }

    private static void install(Path repository, String artifactId, String version, String extension, Path file)
            throws IOException {
        Path target = artifactDirectory(repository, artifactId, version)
                .resolve(artifactId + "-" + version + "." + extension);
        Files.copy(file, target);
    }

    private static Path artifactDirectory(Path repository, String artifactId, String version) throws IOException {
        return Files.createDirectories(
                repository.resolve("io/tidemark").resolve(artifactId).resolve(version));
    }
}
