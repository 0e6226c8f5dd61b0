package io.tidemark.pipeline.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Builds job jars for launcher tests: sources compiled at test time against this JVM's class path, then jarred. */
final class TestJars {
    private TestJars() {}

    /** Compiles {@code sources} (class name → source text) into {@code classes}; fails with the compiler output. */
    static Path compile(Path classes, Map<String, String> sources) throws IOException {
        Path sourceDir = Files.createDirectories(classes.resolveSibling(classes.getFileName() + "-src"));
        List<String> args = new ArrayList<>(List.of(
                "-d", classes.toString(), "-cp", System.getProperty("java.class.path"), "--release", "17", "-nowarn"));
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = sourceDir.resolve(source.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            args.add(file.toString());
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        java.io.ByteArrayOutputStream errors = new java.io.ByteArrayOutputStream();
        int code = compiler.run(null, errors, errors, args.toArray(String[]::new));
        if (code != 0) {
            throw new AssertionError("compilation failed:\n" + errors.toString(StandardCharsets.UTF_8));
        }
        return classes;
    }

    /**
     * Writes {@code jar} holding the files under {@code classes}, a manifest with {@code attributes} and the extra
     * {@code entries} (path → text, e.g. a {@code META-INF/services} file).
     */
    static Path jar(Path jar, Path classes, Map<String, String> attributes, Map<String, String> entries)
            throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        attributes.forEach((name, value) -> manifest.getMainAttributes().putValue(name, value));
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file, manifest);
                Stream<Path> files = Files.walk(classes)) {
            for (Path path : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(
                        new JarEntry(classes.relativize(path).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(path));
                out.closeEntry();
            }
            for (Map.Entry<String, String> entry : entries.entrySet()) {
                out.putNextEntry(new JarEntry(entry.getKey()));
                out.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return jar;
    }
}
