package io.tidemark.pipeline.cli;

import io.tidemark.ConfigurationException;
import io.tidemark.pipeline.Pipeline;
import io.tidemark.pipeline.PipelineContext;
import io.tidemark.pipeline.PipelineProgram;
import io.tidemark.pipeline.connectors.ErrorPolicy;
import io.tidemark.pipeline.query.AuthToken;
import io.tidemark.pipeline.runtime.JobRunner;
import io.tidemark.pipeline.shm.ShmPublisher;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tidemark run <name>|<class> --input ... --output ... [job arguments]}: a {@link NamedJob} by name or a
 * {@code PipelineProgram} by class name; {@code tidemark run --jar app.jar [--class CLASS] ...}: a
 * {@code PipelineProgram} from the user's own jar, in a class loader of its own ({@link JobJar}). The words of the
 * command line this command does not know (unknown options, their values, and everything after {@code --}) are the
 * job's arguments (the launcher sets unmatched options to be positional parameters for this command).
 */
@Command(name = "run", description = "Runs a pipeline to the end of its input.")
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(
            paramLabel = "JOB|ARG",
            arity = "0..*",
            description = "Without --jar: market-stats or the class name of a PipelineProgram, then the job's"
                    + " arguments; with --jar: the job's arguments. Unknown options are job arguments too.")
    List<String> positionals = new ArrayList<>();

    @Option(
            names = "--jar",
            description = "The user's job jar; the program comes from --class, the jar's"
                    + " Tidemark-Program manifest attribute, or its META-INF/services entry.")
    Path jar;

    @Option(names = "--class", description = "With --jar: the PipelineProgram class to run.")
    String programClass;

    @Option(names = "--input", required = true, description = "FILE, or gen:N[,symbols=K][,seed=S][,rate=R].")
    String input;

    @Option(names = "--output", required = true, description = "Directory of the committed part-*.csv files.")
    Path output;

    @Option(
            names = "--restore",
            description = "latest, or a checkpoint directory (…/chk-N), its _metadata file, or a savepoint directory.")
    String restore;

    @Option(
            names = "--port",
            description = "Control port for queries, savepoint, stop and /metrics, on 127.0.0.1 unless --bind"
                    + " (0: any free port).")
    Integer port;

    @Option(
            names = "--bind",
            description =
                    "Interface --port listens on (default: loopback); a non-loopback one needs --auth-token-file.")
    String bind;

    @Option(
            names = "--auth-token-file",
            description = "File whose first line is the control port's token (at least 16 characters); every request"
                    + " must send Authorization: Bearer TOKEN, else 401.")
    Path authTokenFile;

    @Option(
            names = "--publish-shm",
            description =
                    "Mirror queryable value states into Chronicle Map files in DIR (read with TidemarkStateReader).")
    Path publishShm;

    @Option(
            names = "--publish-interval",
            converter = Durations.class,
            description = "How often --publish-shm publishes the values written since the last pass (default: 50ms).")
    Duration publishInterval = Duration.ofMillis(50);

    @Option(names = "--keep-running", description = "After the input ended, keep serving --port until `tidemark stop`.")
    boolean keepRunning;

    @Option(
            names = "--allowed-lateness",
            converter = Durations.class,
            description = "market-stats: watermark = max timestamp − this (default: 0ms).")
    Duration allowedLateness = Duration.ZERO;

    @Option(names = "--on-malformed", description = "market-stats: skip|dead-letter|fail (default: ${DEFAULT-VALUE}).")
    String onMalformed = "dead-letter";

    @Option(
            names = "--fail-after",
            hidden = true,
            description = "Failure injection: throw once in the N-th window call.")
    long failAfter;

    @Mixin
    RunOptions options;

    @Override
    public Integer call() throws Exception {
        if (programClass != null && jar == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--class needs --jar");
        }
        if (jar == null && positionals.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "a JOB or --jar is required");
        }
        if (jar == null && positionals.get(0).startsWith("-")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "unknown option: " + positionals.get(0));
        }
        // the jar's loader is the context class loader of this thread and of the worker threads it starts, so that
        // code resolving classes by name (a restore reading the serializer snapshots of the job's types) finds them
        JobJar jobJar = jar == null ? null : JobJar.open(jar);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        try {
            if (jobJar != null) {
                thread.setContextClassLoader(jobJar.classLoader());
            }
            return run(jobJar);
        } finally {
            thread.setContextClassLoader(previous);
            if (jobJar != null) {
                jobJar.close();
            }
        }
    }

    private Integer run(JobJar jobJar) throws Exception {
        if (keepRunning && port == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--keep-running needs --port");
        }
        if ((bind != null || authTokenFile != null) && port == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--bind and --auth-token-file need --port");
        }
        InetAddress bindAddress;
        AuthToken token;
        try {
            bindAddress = ControlServer.bindAddress(bind, authTokenFile != null);
            token = authTokenFile == null ? null : AuthToken.read(authTokenFile);
        } catch (ConfigurationException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        PipelineContext config = options.config(spec);
        Pipeline pipeline = build(config, jobJar);
        JobConsole console = new JobConsole(System.out, System.err);
        JobRunner runner = new JobRunner(pipeline, console);
        ControlServer control =
                port == null ? null : ControlServer.start(bindAddress, port, runner, pipeline.nodes(), token);
        ShmPublisher publisher = publishShm == null
                ? null
                : ShmPublisher.start(publishShm, runner::queryTargets, Math.max(1, publishInterval.toMillis()));
        try {
            if (control != null) {
                System.out.println("CONTROL port=" + control.port());
            }
            console.start(runner.metrics());
            JobRunner.Result result;
            try {
                result = runner.run(RunOptions.restoreMode(restore));
            } finally {
                console.stop();
                if (publisher != null) {
                    publisher.close();
                }
            }
            console.summary(result);
            if (result.stopped()) {
                System.out.println("STOPPED");
                if (control != null) {
                    control.awaitStop(); // the stop request's answer is sent before the server closes
                }
            } else if (keepRunning) {
                System.out.println("FINISHED serving port " + control.port() + " until tidemark stop");
                control.awaitStop();
            }
        } finally {
            if (control != null) {
                control.close();
            }
        }
        return Launcher.EXIT_OK;
    }

    private Pipeline build(PipelineContext config, JobJar jobJar) throws ReflectiveOperationException {
        if (jobJar != null) {
            Class<? extends PipelineProgram> type;
            try {
                type = jobJar.programClass(programClass);
            } catch (ConfigurationException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
            }
            return buildProgram(type, config, positionals);
        }
        String job = positionals.get(0);
        List<String> arguments = positionals.subList(1, positionals.size());
        NamedJob named = namedJobs().get(job);
        if (named != null) {
            if (!arguments.isEmpty()) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "unknown options: job=" + job + ", arguments=" + arguments);
            }
            return buildNamed(named, config);
        }
        Class<?> cls;
        try {
            cls = Class.forName(job);
        } catch (ClassNotFoundException e) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "unknown job: job=" + job + ", expected "
                            + String.join(", ", namedJobs().keySet()) + " or the class name of a PipelineProgram");
        }
        if (!PipelineProgram.class.isAssignableFrom(cls)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "job class is not a PipelineProgram: class=" + job);
        }
        return buildProgram(cls.asSubclass(PipelineProgram.class), config, arguments);
    }

    private Pipeline buildNamed(NamedJob named, PipelineContext config) {
        ErrorPolicy policy =
                switch (onMalformed) {
                    case "skip" -> ErrorPolicy.SKIP;
                    case "dead-letter" -> ErrorPolicy.DEAD_LETTER;
                    case "fail" -> ErrorPolicy.FAIL;
                    default ->
                        throw new CommandLine.ParameterException(
                                spec.commandLine(),
                                "invalid --on-malformed: value=" + onMalformed + ", allowed=skip, dead-letter, fail");
                };
        try {
            return named.build(config, new NamedJob.Arguments(input, output, allowedLateness, policy, failAfter));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    private Pipeline buildProgram(Class<? extends PipelineProgram> type, PipelineContext config, List<String> arguments)
            throws ReflectiveOperationException {
        PipelineProgram program;
        try {
            program = type.getConstructor().newInstance();
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "program class must be public with a public no-argument constructor: class=" + type.getName(),
                    e);
        }
        try {
            return program.build(config, input, output, config.defaultParallelism(), List.copyOf(arguments));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    /** The jobs registered as {@link NamedJob} services, by name. */
    static SortedMap<String, NamedJob> namedJobs() {
        SortedMap<String, NamedJob> jobs = new TreeMap<>();
        for (NamedJob j : ServiceLoader.load(NamedJob.class, RunCommand.class.getClassLoader())) {
            jobs.put(j.name(), j);
        }
        return jobs;
    }
}
