package io.tidemark.pipeline.cli;

import io.tidemark.ConfigurationException;
import io.tidemark.pipeline.PipelineProgram;
import java.io.IOException;
import java.net.MalformedURLException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * A user's job jar ({@code tidemark run --jar app.jar}) opened in a {@link JobClassLoader} of its own, and the
 * {@link PipelineProgram} class chosen in it: the class {@code --class} names; else the class the manifest attribute
 * {@value #PROGRAM_ATTRIBUTE} names; else the one {@code PipelineProgram} the jar registers in
 * {@code META-INF/services/io.tidemark.pipeline.PipelineProgram} (providers on the launcher's own class path are not
 * considered).
 *
 * <p>Threads: the launcher's thread. Errors: {@link #open} throws a {@link ConfigurationException} naming the jar when
 * it is missing or unreadable; {@link #programClass} throws one naming the class and the jar when no program can be
 * chosen (the launcher reports those as usage errors). {@link #close()} closes the class loader: only after the job
 * ended.
 */
final class JobJar implements AutoCloseable {
    /** The manifest attribute naming the program class. */
    static final String PROGRAM_ATTRIBUTE = "Tidemark-Program";

    private final Path path;
    private final String manifestProgram;
    private final JobClassLoader loader;

    private JobJar(Path path, String manifestProgram, JobClassLoader loader) {
        this.path = path;
        this.manifestProgram = manifestProgram;
        this.loader = loader;
    }

    /**
     * Opens {@code jar} in a class loader whose parent is the launcher's.
     *
     * @throws ConfigurationException if the file is missing, not a regular file, unreadable or not a jar
     */
    static JobJar open(Path jar) {
        Path file = jar.toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw new ConfigurationException(
                    "job jar not found: jar=" + file + (Files.exists(file) ? " (not a regular file)" : ""));
        }
        String program;
        try (JarFile opened = new JarFile(file.toFile())) {
            Manifest manifest = opened.getManifest();
            program = manifest == null ? null : manifest.getMainAttributes().getValue(PROGRAM_ATTRIBUTE);
        } catch (IOException | SecurityException e) {
            throw new ConfigurationException("cannot read the job jar: jar=" + file + ", reason=" + e.getMessage(), e);
        }
        try {
            JobClassLoader loader = new JobClassLoader(file.toUri().toURL(), JobJar.class.getClassLoader());
            return new JobJar(file, program == null ? null : program.trim(), loader);
        } catch (MalformedURLException e) {
            throw new ConfigurationException("cannot read the job jar: jar=" + file + ", reason=" + e.getMessage(), e);
        }
    }

    /** The jar's class loader: the context class loader of the threads that build and run the job. */
    ClassLoader classLoader() {
        return loader;
    }

    Path path() {
        return path;
    }

    /**
     * The program class: {@code className} if not null, else the manifest's {@value #PROGRAM_ATTRIBUTE}, else the one
     * {@code PipelineProgram} service of the jar. Loads the class without initialising it.
     *
     * @throws ConfigurationException naming the class and the jar if the class is not found or is not a
     *     {@code PipelineProgram}, or naming the jar if it has no program or several and {@code className} is null
     */
    Class<? extends PipelineProgram> programClass(String className) {
        if (className != null) {
            return load(className, "--class");
        }
        if (manifestProgram != null && !manifestProgram.isEmpty()) {
            return load(manifestProgram, "manifest attribute " + PROGRAM_ATTRIBUTE);
        }
        List<Class<? extends PipelineProgram>> services = services();
        if (services.size() == 1) {
            return services.get(0);
        }
        if (services.isEmpty()) {
            throw new ConfigurationException("no PipelineProgram in the job jar: jar=" + path
                    + ", expected --class CLASS, a manifest attribute " + PROGRAM_ATTRIBUTE
                    + ": CLASS, or a META-INF/services/" + PipelineProgram.class.getName() + " entry");
        }
        List<String> names = new ArrayList<>();
        services.forEach(s -> names.add(s.getName()));
        throw new ConfigurationException("several PipelinePrograms in the job jar, choose one with --class: jar=" + path
                + ", programs=" + names);
    }

    private Class<? extends PipelineProgram> load(String className, String source) {
        Class<?> type;
        try {
            type = Class.forName(className, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new ConfigurationException(
                    "class not found in the job jar: class=" + className + " (from " + source + "), jar=" + path, e);
        }
        if (!PipelineProgram.class.isAssignableFrom(type)) {
            throw new ConfigurationException("class is not a " + PipelineProgram.class.getName() + ": class="
                    + className + " (from " + source + "), jar=" + path);
        }
        return type.asSubclass(PipelineProgram.class);
    }

    private List<Class<? extends PipelineProgram>> services() {
        List<Class<? extends PipelineProgram>> own = new ArrayList<>();
        try {
            for (ServiceLoader.Provider<PipelineProgram> provider :
                    ServiceLoader.load(PipelineProgram.class, loader).stream().toList()) {
                Class<? extends PipelineProgram> type = provider.type();
                if (type.getClassLoader() == loader) {
                    own.add(type);
                }
            }
        } catch (ServiceConfigurationError e) {
            throw new ConfigurationException(
                    "invalid META-INF/services/" + PipelineProgram.class.getName() + " entry in the job jar: jar="
                            + path + ", reason=" + e.getMessage(),
                    e);
        }
        return own;
    }

    @Override
    public void close() throws IOException {
        loader.close();
    }
}
