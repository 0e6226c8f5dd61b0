package io.tidemark.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.ConfigurationException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tidemark run --jar}: how the program is chosen in a user's jar ({@code --class}, manifest attribute,
 * {@code ServiceLoader}), the errors when it cannot be, the class loader's delegation, and a job from a jar run with
 * its own arguments. The jars hold classes compiled here, which are not on the launcher's class path.
 */
class JobJarTest {
    private static final String SERVICES = "META-INF/services/io.tidemark.pipeline.PipelineProgram";
    private static final String LABELLED = "com.example.jobs.Labelled";
    private static final String SECOND = "com.example.jobs.Second";

    @TempDir
    static Path jars;

    @TempDir
    Path dir;

    private static Path classes;

    @BeforeAll
    static void compileJobs() throws Exception {
        classes = TestJars.compile(
                jars.resolve("classes"),
                Map.of(
                        LABELLED,
                        labelledSource(),
                        "com.example.jobs.Numbers",
                        numbersSource(),
                        SECOND,
                        program("Second"),
                        "com.example.jobs.NotAProgram",
                        "package com.example.jobs; public final class NotAProgram {}",
                        "com.example.jobs.Totals",
                        totalsSource(),
                        "com.example.jobs.TotalSerializer",
                        totalSerializerSource(),
                        "com.example.jobs.Hidden",
                        program("Hidden").replace("public final class Hidden", "final class Hidden")));
    }

    @Test
    void aMissingOrUnreadableJarIsNamed() throws Exception {
        Path missing = dir.resolve("missing.jar");
        assertThatThrownBy(() -> JobJar.open(missing))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("job jar not found: jar=" + missing);
        assertThatThrownBy(() -> JobJar.open(dir))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("job jar not found: jar=" + dir + " (not a regular file)");
        Path garbage = Files.writeString(dir.resolve("garbage.jar"), "not a zip file");
        assertThatThrownBy(() -> JobJar.open(garbage))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("cannot read the job jar: jar=" + garbage + ", reason=");
    }

    @Test
    void theProgramComesFromClassThenManifestThenServices() throws Exception {
        Path manifest = jar("manifest.jar", Map.of(JobJar.PROGRAM_ATTRIBUTE, LABELLED), Map.of());
        try (JobJar jar = JobJar.open(manifest)) {
            Class<?> program = jar.programClass(null);
            assertThat(program.getName()).isEqualTo(LABELLED);
            assertThat(program.getClassLoader()).isSameAs(jar.classLoader());
            assertThat(jar.programClass(SECOND).getName()).isEqualTo(SECOND);
        }
        Path services = jar("services.jar", Map.of(), Map.of(SERVICES, LABELLED + "\n"));
        try (JobJar jar = JobJar.open(services)) {
            assertThat(jar.programClass(null).getName()).isEqualTo(LABELLED);
        }
        Path both = jar("both.jar", Map.of(JobJar.PROGRAM_ATTRIBUTE, SECOND), Map.of(SERVICES, LABELLED + "\n"));
        try (JobJar jar = JobJar.open(both)) {
            assertThat(jar.programClass(null).getName()).isEqualTo(SECOND);
        }
    }

    @Test
    void errorsNameWhatIsWrong() throws Exception {
        Path none = jar("none.jar", Map.of(), Map.of());
        try (JobJar jar = JobJar.open(none)) {
            assertThatThrownBy(() -> jar.programClass(null))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageStartingWith("no PipelineProgram in the job jar: jar=" + none);
            assertThatThrownBy(() -> jar.programClass("com.example.jobs.Missing"))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessage("class not found in the job jar: class=com.example.jobs.Missing (from --class), jar="
                            + none);
            assertThatThrownBy(() -> jar.programClass("com.example.jobs.NotAProgram"))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessage("class is not a io.tidemark.pipeline.PipelineProgram:"
                            + " class=com.example.jobs.NotAProgram (from --class), jar=" + none);
        }
        Path two = jar("two.jar", Map.of(), Map.of(SERVICES, LABELLED + "\n" + SECOND + "\n"));
        try (JobJar jar = JobJar.open(two)) {
            assertThatThrownBy(() -> jar.programClass(null))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessage("several PipelinePrograms in the job jar, choose one with --class: jar=" + two
                            + ", programs=[" + LABELLED + ", " + SECOND + "]");
            assertThat(jar.programClass(SECOND).getName()).isEqualTo(SECOND);
        }
        Path wrongManifest = jar("wrong.jar", Map.of(JobJar.PROGRAM_ATTRIBUTE, "com.example.jobs.Gone"), Map.of());
        try (JobJar jar = JobJar.open(wrongManifest)) {
            assertThatThrownBy(() -> jar.programClass(null))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessage("class not found in the job jar: class=com.example.jobs.Gone (from manifest attribute"
                            + " Tidemark-Program), jar=" + wrongManifest);
        }
        Path badService = jar("bad-service.jar", Map.of(), Map.of(SERVICES, "com.example.jobs.NotAProgram\n"));
        try (JobJar jar = JobJar.open(badService)) {
            assertThatThrownBy(() -> jar.programClass(null))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageStartingWith("invalid META-INF/services/io.tidemark.pipeline.PipelineProgram entry in"
                            + " the job jar: jar=" + badService + ", reason=");
        }
    }

    @Test
    void tidemarkClassesComeFromTheLauncherOthersFromTheJarFirst() throws Exception {
        String parentSource = "public final class Marker { public static String where() { return \"launcher\"; } }";
        String jarSource = "public final class Marker { public static String where() { return \"jar\"; } }";
        Path parentClasses = TestJars.compile(
                dir.resolve("parent"),
                Map.of(
                        "com.example.lib.Marker", "package com.example.lib; " + parentSource,
                        "io.tidemark.example.Marker", "package io.tidemark.example; " + parentSource));
        Path jarClasses = TestJars.compile(
                dir.resolve("own"),
                Map.of(
                        "com.example.lib.Marker",
                        "package com.example.lib; " + jarSource,
                        "io.tidemark.example.Marker",
                        "package io.tidemark.example; " + jarSource,
                        "io.tidemark.example.OnlyInJar",
                        "package io.tidemark.example; public final class OnlyInJar {}"));
        Path jar = TestJars.jar(dir.resolve("markers.jar"), jarClasses, Map.of(), Map.of());
        try (URLClassLoader launcher = new URLClassLoader(
                        new URL[] {parentClasses.toUri().toURL()}, getClass().getClassLoader());
                JobClassLoader job = new JobClassLoader(jar.toUri().toURL(), launcher)) {
            assertThat(where(job, "com.example.lib.Marker")).isEqualTo("jar");
            assertThat(where(job, "io.tidemark.example.Marker")).isEqualTo("launcher");
            assertThat(job.loadClass("io.tidemark.example.OnlyInJar").getClassLoader())
                    .isSameAs(job);
            assertThat(job.loadClass("io.tidemark.pipeline.PipelineProgram"))
                    .isSameAs(io.tidemark.pipeline.PipelineProgram.class);
        }
    }

    @Test
    void launcherExitCodesAndMessagesForJarErrors() throws Exception {
        Path none = jar("none.jar", Map.of(), Map.of());
        Path two = jar("two.jar", Map.of(), Map.of(SERVICES, LABELLED + "\n" + SECOND + "\n"));
        String out = dir.resolve("out").toString();
        String[] io = {"--input", "1", "--output", out};
        assertRun(
                Launcher.EXIT_FAILURE,
                "job jar not found",
                "run",
                "--jar",
                dir.resolve("x.jar").toString(),
                io);
        assertRun(Launcher.EXIT_USAGE, "no PipelineProgram in the job jar", "run", "--jar", none.toString(), io);
        assertRun(Launcher.EXIT_USAGE, "several PipelinePrograms", "run", "--jar", two.toString(), io);
        assertRun(
                Launcher.EXIT_USAGE,
                "class is not a io.tidemark.pipeline.PipelineProgram",
                "run",
                "--jar",
                none.toString(),
                "--class",
                "com.example.jobs.NotAProgram",
                io);
        assertRun(
                Launcher.EXIT_USAGE,
                "program class must be public with a public no-argument constructor: class=com.example.jobs.Hidden",
                "run",
                "--jar",
                none.toString(),
                "--class",
                "com.example.jobs.Hidden",
                io);
        assertRun(Launcher.EXIT_USAGE, "--class needs --jar", "run", "--class", LABELLED, io);
        assertRun(Launcher.EXIT_USAGE, "a JOB or --jar is required", "run", io);
        // arguments a job does not take: a named job, a program that keeps the default, a program that refuses one
        assertRun(
                Launcher.EXIT_USAGE,
                "unknown options: job=market-stats, arguments=[--paralelism, 2]",
                "run",
                "market-stats",
                "--input",
                "gen:10",
                "--output",
                out,
                "--paralelism",
                "2");
        assertRun(
                Launcher.EXIT_USAGE,
                "unknown job arguments: program=" + SquaresProgram.class.getName() + ", arguments=[extra]",
                "run",
                SquaresProgram.class.getName(),
                "--input",
                "10",
                "--output",
                out,
                "extra");
        assertRun(
                Launcher.EXIT_USAGE,
                "unknown argument: --colour",
                "run",
                "--jar",
                two.toString(),
                "--class",
                LABELLED,
                "--colour",
                "red",
                io);
        assertThat(Files.exists(dir.resolve("out"))).isFalse();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void runsAProgramFromAJarWithItsArguments() throws Exception {
        Path jar = jar("app.jar", Map.of(JobJar.PROGRAM_ATTRIBUTE, LABELLED), Map.of());
        Path out = dir.resolve("labelled");
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        int code = Launcher.execute(
                "run",
                "--jar",
                jar.toString(),
                "--input",
                "500",
                "--label",
                "sq",
                "--output",
                out.toString(),
                "--state-dir",
                dir.resolve("s").toString(),
                "--parallelism",
                "2",
                "--",
                "--upper");
        assertThat(code).isEqualTo(Launcher.EXIT_OK);
        assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(before);
        List<String> lines = new ArrayList<>();
        try (Stream<Path> parts = Files.list(out)) {
            for (Path part : parts.toList()) {
                lines.addAll(Files.readAllLines(part));
            }
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            expected.add("SQ:" + i);
        }
        assertThat(lines).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void restoresKeyedStateWhoseSerializerOnlyTheJarHas() throws Exception {
        Path jar = jar("services.jar", Map.of(), Map.of(SERVICES, LABELLED + "\n"));
        Path out = dir.resolve("totals");
        List<String> run = List.of(
                "run",
                "--jar",
                jar.toString(),
                "--class",
                "com.example.jobs.Totals",
                "--output",
                out.toString(),
                "--state-dir",
                dir.resolve("s").toString(),
                "--backend",
                "heap",
                "--parallelism",
                "2");
        assertRun(Launcher.EXIT_OK, "SUMMARY", run, "--input", "300");
        // the second run reads the serializer snapshot, whose class only the jar has, then continues
        // from the source's position 300: key 0's total covers 0, 3, ..., 597 only if its state was restored
        assertRun(Launcher.EXIT_OK, "restored=", run, "--input", "600", "--restore", "latest");
        List<String> lines = new ArrayList<>();
        try (Stream<Path> parts = Files.list(out)) {
            for (Path part : parts.filter(p -> p.getFileName().toString().startsWith("part-"))
                    .toList()) {
                lines.addAll(Files.readAllLines(part));
            }
        }
        assertThat(lines).hasSize(600).contains("0,100,14850", "0,200,59700", "2,200,60100");
    }

    /**
     * Runs the launcher with {@code words} (strings, arrays or lists of them); checks the exit code and that stdout
     * and stderr together contain {@code message}.
     */
    private static void assertRun(int code, String message, Object... words) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
        int exit;
        try {
            List<String> all = new ArrayList<>();
            for (Object word : words) {
                if (word instanceof String[] array) {
                    all.addAll(List.of(array));
                } else if (word instanceof List<?> list) {
                    list.forEach(w -> all.add((String) w));
                } else {
                    all.add((String) word);
                }
            }
            exit = Launcher.execute(all.toArray(String[]::new));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        out.print(output);
        assertThat(exit).as(output).isEqualTo(code);
        assertThat(output).contains(message);
    }

    private static Path jar(String name, Map<String, String> attributes, Map<String, String> entries) throws Exception {
        Path jar = jars.resolve(name);
        return Files.exists(jar) ? jar : TestJars.jar(jar, classes, attributes, entries);
    }

    private static String where(ClassLoader loader, String className) throws Exception {
        return (String) loader.loadClass(className).getMethod("where").invoke(null);
    }

    private static String program(String name) {
        return """
                package com.example.jobs;

                import io.tidemark.pipeline.Pipeline;
                import io.tidemark.pipeline.PipelineContext;
                import io.tidemark.pipeline.PipelineProgram;
                import java.nio.file.Path;

                public final class %s implements PipelineProgram {
                    @Override
                    public Pipeline build(PipelineContext config, String input, Path output, int parallelism) {
                        throw new UnsupportedOperationException("not run by the tests");
                    }
                }
                """
                .formatted(name);
    }

    /** Numbers 0..N-1 as {@code LABEL:n}; arguments {@code --label LABEL} and {@code --upper}. */
    private static String labelledSource() {
        return """
                package com.example.jobs;

                import io.tidemark.pipeline.Pipeline;
                import io.tidemark.pipeline.PipelineContext;
                import io.tidemark.pipeline.PipelineProgram;
                import io.tidemark.pipeline.connectors.TwoPhaseFileSink;
                import java.nio.file.Path;
                import java.util.List;
                import java.util.Locale;

                public final class Labelled implements PipelineProgram {
                    @Override
                    public Pipeline build(PipelineContext config, String input, Path output, int parallelism) {
                        return build(config, input, output, parallelism, List.of());
                    }

                    @Override
                    public Pipeline build(
                            PipelineContext config, String input, Path output, int parallelism, List<String> args) {
                        String label = "n";
                        boolean upper = false;
                        for (int i = 0; i < args.size(); i++) {
                            if (args.get(i).equals("--label") && i + 1 < args.size()) {
                                label = args.get(++i);
                            } else if (args.get(i).equals("--upper")) {
                                upper = true;
                            } else {
                                throw new IllegalArgumentException("unknown argument: " + args.get(i));
                            }
                        }
                        String prefix = (upper ? label.toUpperCase(Locale.ROOT) : label) + ":";
                        long count = Long.parseLong(input);
                        Pipeline pipeline = new Pipeline(config);
                        pipeline.source("numbers", () -> new Numbers(count), 1)
                                .map("label", (Long v) -> prefix + v, parallelism)
                                .sink("out", () -> new TwoPhaseFileSink<String>(output, String::valueOf), parallelism);
                        return pipeline;
                    }
                }
                """;
    }

    /** The jar's own serializer of {@code Totals.Total}, with a snapshot class that only the jar has. */
    private static String totalSerializerSource() {
        return """
                package com.example.jobs;

                import io.tidemark.serialization.SchemaCompatibility;
                import io.tidemark.serialization.SerializerSnapshot;
                import io.tidemark.serialization.StateSerializer;
                import java.io.DataInput;
                import java.io.DataOutput;
                import java.nio.ByteOrder;
                import org.agrona.DirectBuffer;
                import org.agrona.MutableDirectBuffer;

                public final class TotalSerializer implements StateSerializer<Totals.Total> {
                    @Override
                    public int fixedLength() {
                        return 16;
                    }

                    @Override
                    public int write(Totals.Total value, MutableDirectBuffer buffer, int offset) {
                        buffer.putLong(offset, value.count(), ByteOrder.LITTLE_ENDIAN);
                        buffer.putLong(offset + 8, value.sum(), ByteOrder.LITTLE_ENDIAN);
                        return 16;
                    }

                    @Override
                    public Totals.Total read(DirectBuffer buffer, int offset, int length) {
                        return new Totals.Total(
                                buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN),
                                buffer.getLong(offset + 8, ByteOrder.LITTLE_ENDIAN));
                    }

                    @Override
                    public SerializerSnapshot<Totals.Total> snapshot() {
                        return new Snapshot();
                    }

                    public static final class Snapshot implements SerializerSnapshot<Totals.Total> {
                        @Override
                        public int currentVersion() {
                            return 1;
                        }

                        @Override
                        public void writeSnapshot(DataOutput out) {}

                        @Override
                        public void readSnapshot(int readVersion, DataInput in, ClassLoader classLoader) {}

                        @Override
                        public StateSerializer<Totals.Total> restoreSerializer() {
                            return new TotalSerializer();
                        }

                        @Override
                        public SchemaCompatibility resolveCompatibility(StateSerializer<Totals.Total> newSerializer) {
                            return newSerializer instanceof TotalSerializer
                                    ? SchemaCompatibility.compatibleAsIs()
                                    : SchemaCompatibility.incompatible("not a TotalSerializer");
                        }

                        @Override
                        public String describe() {
                            return "TotalSerializer";
                        }
                    }
                }
                """;
    }

    /** Per key {@code n % 3}: count and sum of the numbers, in keyed state of the jar's own type and serializer. */
    private static String totalsSource() {
        return """
                package com.example.jobs;

                import io.tidemark.function.Collector;
                import io.tidemark.function.KeyedProcessFunction;
                import io.tidemark.function.RuntimeContext;
                import io.tidemark.pipeline.Pipeline;
                import io.tidemark.pipeline.PipelineContext;
                import io.tidemark.pipeline.PipelineProgram;
                import io.tidemark.pipeline.connectors.TwoPhaseFileSink;
                import io.tidemark.serialization.LongSerializer;
                import io.tidemark.state.ValueState;
                import io.tidemark.state.ValueStateDescriptor;
                import java.nio.file.Path;

                public final class Totals implements PipelineProgram {
                    public record Total(long count, long sum) {}

                    @Override
                    public Pipeline build(PipelineContext config, String input, Path output, int parallelism) {
                        long count = Long.parseLong(input);
                        Pipeline pipeline = new Pipeline(config);
                        pipeline.source("numbers", () -> new Numbers(count), 1)
                                .keyBy((Long v) -> v % 3, LongSerializer.INSTANCE)
                                .process("totals", Summing::new, parallelism)
                                .sink("out", () -> new TwoPhaseFileSink<String>(output, String::valueOf), parallelism);
                        return pipeline;
                    }

                    static final class Summing extends KeyedProcessFunction<Long, Long, String> {
                        private ValueState<Total> total;

                        @Override
                        public void open(RuntimeContext context) {
                            total = context.getState(new ValueStateDescriptor<>("total", new TotalSerializer()));
                        }

                        @Override
                        public void processElement(Long v, Context<Long> ctx, Collector<String> out) {
                            Total t = total.value();
                            Total next = t == null ? new Total(1, v) : new Total(t.count() + 1, t.sum() + v);
                            total.update(next);
                            out.collect(ctx.getCurrentKey() + "," + next.count() + "," + next.sum());
                        }
                    }
                }
                """;
    }

    private static String numbersSource() {
        return """
                package com.example.jobs;

                import io.tidemark.backend.OperatorStateStore;
                import io.tidemark.pipeline.function.SourceContext;
                import io.tidemark.pipeline.function.SourceFunction;
                import io.tidemark.serialization.LongSerializer;
                import io.tidemark.state.ListState;
                import io.tidemark.state.ListStateDescriptor;
                import java.util.List;

                final class Numbers implements SourceFunction<Long> {
                    private final long count;
                    private ListState<Long> offset;
                    private long next;

                    Numbers(long count) {
                        this.count = count;
                    }

                    @Override
                    public void initializeState(OperatorStateStore store, boolean restored) {
                        offset = store.getListState(new ListStateDescriptor<>("offset", LongSerializer.INSTANCE));
                        for (Long o : offset.get()) {
                            next = o;
                        }
                    }

                    @Override
                    public void snapshotState(long checkpointId) {
                        offset.update(List.of(next));
                    }

                    @Override
                    public boolean emitNext(SourceContext<Long> ctx) {
                        if (next >= count) {
                            return false;
                        }
                        ctx.collect(next, next);
                        next++;
                        return true;
                    }
                }
                """;
    }
}
