package io.tidemark.pipeline.cli;

import io.tidemark.pipeline.query.QueryCommand;
import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/**
 * The {@code tidemark} command line: {@code run}, the {@link LauncherCommand}s jobs contribute ({@code demo}),
 * {@code inspect}, {@code savepoint}, {@code stop} and {@code query}. Exit codes: 0 success, 2 usage error, 1 failure (a message on stderr naming what
 * failed).
 */
@Command(
        name = "tidemark",
        mixinStandardHelpOptions = true,
        version = "tidemark 0.1.0-SNAPSHOT",
        description = "Runs Tidemark pipelines.")
public final class Launcher implements Runnable {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit code (for tests and embedding). */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new Launcher());
        cli.addSubcommand(new RunCommand());
        // the words `run` does not know are the job's arguments (RunCommand), not usage errors
        cli.getSubcommands().get("run").setUnmatchedOptionsArePositionalParams(true);
        for (LauncherCommand command : ServiceLoader.load(LauncherCommand.class, Launcher.class.getClassLoader())) {
            cli.addSubcommand(command);
        }
        cli.addSubcommand(new InspectCommand());
        cli.addSubcommand(new SavepointCommand());
        cli.addSubcommand(new StopCommand());
        cli.addSubcommand(new QueryCommand());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            Throwable root = e;
            commandLine.getErr().println("tidemark: " + describe(root));
            if (Boolean.getBoolean("tidemark.debug")) {
                e.printStackTrace(commandLine.getErr());
            }
            // a command that finds its options inconsistent throws ParameterException from call(): a usage error
            return e instanceof CommandLine.ParameterException ? EXIT_USAGE : EXIT_FAILURE;
        });
        cli.setExitCodeExceptionMapper(e -> e instanceof CommandLine.ParameterException ? EXIT_USAGE : EXIT_FAILURE);
        return cli.execute(args);
    }

    static String describe(Throwable e) {
        StringBuilder message = new StringBuilder(String.valueOf(e.getMessage()));
        Throwable cause = e.getCause();
        if (e.getMessage() == null && cause != null) {
            message = new StringBuilder(e.getClass().getSimpleName());
        }
        while (cause != null && cause != e) {
            if (cause.getMessage() != null && !message.toString().contains(cause.getMessage())) {
                message.append(": ").append(cause.getMessage());
            }
            e = cause;
            cause = cause.getCause();
        }
        return message.toString();
    }
}
