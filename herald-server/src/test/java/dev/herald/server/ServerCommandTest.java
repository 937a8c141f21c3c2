package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.herald.server.relay.EventFormat;
import dev.herald.socketio.IoTransport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code herald server} option parsing: flags, {@code HERALD_*} environment variables and the {@code --config}
 * file, in that order of precedence, without starting a server ({@link ServerCommand#toConfig()} on the parsed
 * command).
 */
class ServerCommandTest {

    @TempDir
    Path dir;

    /** Parses like {@code herald <args>} with this environment and returns the server command's config. */
    static ServerConfig parse(Map<String, String> env, String... args) {
        CommandLine cli = HeraldMain.commandLine(args, env);
        cli.parseArgs(args);
        ServerCommand command = cli.getSubcommands().get("server").getCommand();
        return command.toConfig();
    }

    record Run(int exitCode, String err) {}

    /** Executes; only for arguments that must fail before a server starts (guarded by a timeout). */
    static Run execute(Map<String, String> env, String... args) {
        return assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            CommandLine cli = HeraldMain.commandLine(args, env);
            StringWriter err = new StringWriter();
            cli.setErr(new PrintWriter(err, true));
            cli.setOut(new PrintWriter(new StringWriter(), true));
            int code = cli.execute(args);
            return new Run(code, err.toString());
        }, "the command should have failed before starting a server");
    }

    Path configFile(String... lines) throws IOException {
        Path file = dir.resolve("herald.properties");
        Files.write(file, List.of(lines));
        return file;
    }

    @Test
    void defaults() {
        ServerConfig c = parse(Map.of(), "server");
        assertThat(c.port()).isEqualTo(6001);
        assertThat(c.host()).isEqualTo("0.0.0.0");
        assertThat(c.redisUrl()).isNull();
        assertThat(c.redisPrefix()).isEmpty();
        assertThat(c.redisPattern()).isFalse();
        assertThat(c.eventFormat()).isEqualTo(EventFormat.ECHO);
        assertThat(c.legacyBroadcastAll()).isFalse();
        assertThat(c.appId()).isEqualTo("herald");
        assertThat(c.apiKey()).as("a generated key").matches("[0-9a-f]{32}");
        assertThat(c.allowedOrigins()).containsExactly("*");
        assertThat(c.pingInterval()).isEqualTo(Duration.ofSeconds(25));
        assertThat(c.pingTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.maxPayload()).isEqualTo(1_000_000);
        assertThat(c.flowControl()).isEqualTo(FlowControl.defaults());
        assertThat(c.ioTransport()).isEqualTo(IoTransport.AUTO);
        assertThat(parse(Map.of(), "server").apiKey()).as("a new key each time").isNotEqualTo(c.apiKey());
    }

    @Test
    void flags() {
        ServerConfig c = parse(Map.of(), "server", "--port", "7001", "--host", "127.0.0.1", "--redis-url", "redis://r:6379/2",
                "--redis-prefix", "laravel_database_", "--redis-subscribe", "pattern", "--event-format", "SEED",
                "--legacy-broadcast-all", "--app-id", "shop", "--api-key", "flag-key-123", "--allowed-origins",
                "https://a.example,https://b.example", "--ping-interval", "1000", "--ping-timeout", "2000", "--max-payload", "4096");
        assertThat(c).isEqualTo(new ServerConfig("127.0.0.1", 7001, "redis://r:6379/2", "laravel_database_", true, EventFormat.SEED,
                true, "shop", "flag-key-123", List.of("https://a.example", "https://b.example"), Duration.ofSeconds(1),
                Duration.ofSeconds(2), 4096));
        assertThat(parse(Map.of(), "server", "--legacy-broadcast-all=false").legacyBroadcastAll()).isFalse();
    }

    @Test
    void ioTransportFlag() {
        assertThat(parse(Map.of(), "server", "--io-transport", "io_uring").ioTransport()).isEqualTo(IoTransport.IO_URING);
        assertThat(parse(Map.of("HERALD_IO_TRANSPORT", "NIO"), "server").ioTransport()).isEqualTo(IoTransport.NIO);
        assertThatThrownBy(() -> parse(Map.of(), "server", "--io-transport", "kqueue"))
                .hasMessageContaining("unknown I/O transport 'kqueue' (auto, epoll, io_uring, nio)");
    }

    @Test
    void flowControlFlagsAndEnvironment() {
        ServerConfig c = parse(Map.of("HERALD_MAX_BROADCAST_LAG", "750"), "server", "--max-pending-bytes", "131072",
                "--max-pending-bytes-total", "33554432", "--max-loop-backlog-bytes", "2097152");
        assertThat(c.flowControl()).isEqualTo(new FlowControl(131072, 33554432, 2097152, Duration.ofMillis(750)));
        assertThatThrownBy(() -> parse(Map.of(), "server", "--max-pending-bytes", "1000"))
                .hasMessageContaining("max pending bytes must be at least 64 KiB");
        assertThatThrownBy(() -> parse(Map.of(), "server", "--max-pending-bytes", "2097152", "--max-pending-bytes-total", "1048576"))
                .hasMessageContaining("max pending bytes total (1048576) must be at least max pending bytes (2097152)");
    }

    @Test
    void environmentVariablesApply() {
        Map<String, String> env = Map.of("HERALD_PORT", "7002", "HERALD_REDIS_URL", "redis://env:6379", "HERALD_REDIS_PREFIX",
                "laravel-database-", "HERALD_EVENT_FORMAT", "seed", "HERALD_LEGACY_BROADCAST_ALL", "true", "HERALD_API_KEY",
                "env-key-12345", "HERALD_APP_ID", "envapp", "HERALD_PING_INTERVAL", "5000",
                "HERALD_ALLOWED_ORIGINS", "https://x.example,https://y.example");
        ServerConfig c = parse(env, "server");
        assertThat(c.port()).isEqualTo(7002);
        assertThat(c.redisUrl()).isEqualTo("redis://env:6379");
        assertThat(c.redisPrefix()).isEqualTo("laravel-database-");
        assertThat(c.eventFormat()).isEqualTo(EventFormat.SEED);
        assertThat(c.legacyBroadcastAll()).isTrue();
        assertThat(c.apiKey()).isEqualTo("env-key-12345");
        assertThat(c.appId()).isEqualTo("envapp");
        assertThat(c.pingInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.allowedOrigins()).containsExactly("https://x.example", "https://y.example");
    }

    @Test
    void aFlagBeatsTheEnvironment() {
        Map<String, String> env = Map.of("HERALD_PORT", "7002", "HERALD_EVENT_FORMAT", "seed", "HERALD_API_KEY", "env-key-12345");
        ServerConfig c = parse(env, "server", "--port", "7003", "--event-format", "echo", "--api-key", "flag-key-123");
        assertThat(c.port()).isEqualTo(7003);
        assertThat(c.eventFormat()).isEqualTo(EventFormat.ECHO);
        assertThat(c.apiKey()).isEqualTo("flag-key-123");
    }

    @Test
    void configFileValuesApply() throws IOException {
        Path file = configFile("# herald", "port=7004", "redis-url=redis://file:6379", "redis-prefix=laravel_database_",
                "redis-subscribe=pattern", "event-format=seed", "api-key=file-key-1234", "ping-timeout=3000");
        for (String[] args : List.of(new String[] {"server", "--config", file.toString()},
                new String[] {"server", "--config=" + file})) {
            ServerConfig c = parse(Map.of(), args);
            assertThat(c.port()).isEqualTo(7004);
            assertThat(c.redisUrl()).isEqualTo("redis://file:6379");
            assertThat(c.redisPrefix()).isEqualTo("laravel_database_");
            assertThat(c.redisPattern()).isTrue();
            assertThat(c.eventFormat()).isEqualTo(EventFormat.SEED);
            assertThat(c.apiKey()).isEqualTo("file-key-1234");
            assertThat(c.pingTimeout()).isEqualTo(Duration.ofSeconds(3));
        }
        assertThat(parse(Map.of("HERALD_CONFIG", file.toString()), "server").port()).as("HERALD_CONFIG").isEqualTo(7004);
    }

    @Test
    void environmentBeatsTheFileAndAFlagBeatsBoth() throws IOException {
        Path file = configFile("port=7004", "app-id=fileapp", "api-key=file-key-1234");
        ServerConfig c = parse(Map.of("HERALD_PORT", "7005", "HERALD_APP_ID", "envapp"), "server", "--config", file.toString(),
                "--app-id", "flagapp");
        assertThat(c.port()).as("env over file").isEqualTo(7005);
        assertThat(c.appId()).as("flag over env and file").isEqualTo("flagapp");
        assertThat(c.apiKey()).as("file over built-in").isEqualTo("file-key-1234");
    }

    @Test
    void aMissingConfigFileIsAnError() {
        Path missing = dir.resolve("nope.properties");
        assertThatThrownBy(() -> HeraldMain.commandLine(new String[] {"server", "--config", missing.toString()}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("config file not found");
    }

    @Test
    void anInvalidEventFormatExitsWith2AndSaysWhy() {
        Run run = execute(Map.of(), "server", "--port", "0", "--event-format", "json");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("event format must be echo or seed").contains("json");

        Run fromEnv = execute(Map.of("HERALD_EVENT_FORMAT", "pusher"), "server", "--port", "0");
        assertThat(fromEnv.exitCode()).isEqualTo(2);
        assertThat(fromEnv.err()).contains("event format must be echo or seed").contains("pusher");
    }

    @Test
    void otherInvalidValuesExitWith2() {
        Run subscribe = execute(Map.of(), "server", "--port", "0", "--redis-subscribe", "sometimes");
        assertThat(subscribe.exitCode()).isEqualTo(2);
        assertThat(subscribe.err()).contains("--redis-subscribe must be per-channel or pattern");

        Run port = execute(Map.of("HERALD_PORT", "sixty"), "server");
        assertThat(port.exitCode()).isEqualTo(2);
        assertThat(port.err()).contains("sixty");

        Run shortKey = execute(Map.of(), "server", "--port", "0", "--api-key", "short");
        assertThat(shortKey.exitCode()).isEqualTo(2);
        assertThat(shortKey.err()).contains("at least 8 characters");
    }
}
