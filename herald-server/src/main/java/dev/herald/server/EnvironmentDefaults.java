package dev.herald.server;

import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Defaults for every long option, in this order: the environment variable {@code HERALD_<NAME>} (option name in
 * upper case, dashes as underscores: {@code --redis-url} → {@code HERALD_REDIS_URL}), then the config file's
 * property {@code <name>} ({@code redis-url=...}), then the option's built-in default. A flag on the command
 * line beats all of them.
 */
final class EnvironmentDefaults implements IDefaultValueProvider {

    private final Map<String, String> env;
    private final Properties file;

    EnvironmentDefaults(Map<String, String> env, Path configFile) {
        this.env = env;
        this.file = new Properties();
        if (configFile != null) {
            if (!Files.isRegularFile(configFile)) throw new IllegalArgumentException("config file not found: " + configFile);
            try (InputStream in = Files.newInputStream(configFile)) {
                file.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read config file " + configFile, e);
            }
        }
    }

    /** The config file named by {@code --config FILE} / {@code --config=FILE} in the arguments, or HERALD_CONFIG. */
    static Path configFile(String[] args, Map<String, String> env) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) return Path.of(args[i + 1]);
            if (args[i].startsWith("--config=")) return Path.of(args[i].substring("--config=".length()));
        }
        String fromEnv = env.get("HERALD_CONFIG");
        return fromEnv == null || fromEnv.isBlank() ? null : Path.of(fromEnv);
    }

    static String envName(String longOption) {
        return "HERALD_" + longOption.replaceFirst("^--", "").replace('-', '_').toUpperCase();
    }

    @Override
    public String defaultValue(ArgSpec argSpec) {
        if (!(argSpec instanceof OptionSpec option)) return null;
        String name = option.longestName();
        if (!name.startsWith("--")) return null;
        String value = env.get(envName(name));
        if (value != null) return value;
        return file.getProperty(name.substring(2));
    }
}
