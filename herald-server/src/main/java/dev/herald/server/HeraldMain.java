package dev.herald.server;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Entry point of {@code herald.jar} (and of the {@code ./herald} launcher).
 *
 * <p>Subcommands: {@code server} (the push server), {@code console} (the server on embedded defaults with its
 * web console), {@code conformance} (the server the official protocol suites expect). The {@code ./herald}
 * launcher routes {@code demo} to the demo app and {@code bench} to the benchmark jar.
 */
@Command(
        name = "herald",
        mixinStandardHelpOptions = true,
        versionProvider = HeraldMain.ManifestVersion.class,
        description = "Real-time event broadcasting: Laravel-compatible Socket.IO push server on Netty.",
        subcommands = {ServerCommand.class, ConsoleCommand.class, HeraldMain.Conformance.class})
public final class HeraldMain implements Runnable {

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        // The CLI's logging setup has its own name, so an app that embeds herald-server keeps its own logback.xml.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "herald-logback.xml");
        }
        CommandLine cli;
        try {
            cli = commandLine(args, System.getenv());
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            System.err.println("herald: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(cli.execute(args));
    }

    /** The command line with option defaults from the environment and the config file (see EnvironmentDefaults). */
    static CommandLine commandLine(String[] args, java.util.Map<String, String> env) {
        CommandLine cli = new CommandLine(new HeraldMain());
        cli.setDefaultValueProvider(new EnvironmentDefaults(env, EnvironmentDefaults.configFile(args, env)));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof IllegalArgumentException) {
                commandLine.getErr().println("herald: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cli;
    }

    /** {@code herald} without a subcommand prints the help. */
    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(
            name = "conformance",
            mixinStandardHelpOptions = true,
            description = "Runs the server the official engine.io-protocol / socket.io-protocol test suites expect, on port 3000.")
    static final class Conformance implements Callable<Integer> {
        static final List<String> MODES = List.of("engineio", "socketio");

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "MODE", description = "engineio or socketio")
        String mode;

        @Override
        public Integer call() throws Exception {
            if (!MODES.contains(mode)) {
                throw new ParameterException(spec.commandLine(),
                        "Invalid MODE '" + mode + "': expected one of " + String.join(", ", MODES));
            }
            ConformanceServer.run(mode);
            return 0;
        }
    }

    /** Reads the version from the jar manifest (set by the shade plugin); "dev" when run from classes. */
    static final class ManifestVersion implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = HeraldMain.class.getPackage().getImplementationVersion();
            return new String[] {"herald " + (version != null ? version : "dev")};
        }
    }
}
